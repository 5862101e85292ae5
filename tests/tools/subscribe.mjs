// A real graphql-ws client (the library front ends use) subscribing to a running danvan:
// `node subscribe.mjs ws://127.0.0.1:8080/graphql/ws SITE`. Prints `connected` once the
// server acknowledged the connection, then each published article as a JSON line, and exits
// after the first one (or with an error).
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, site] = process.argv.slice(2);
if (!url || !site) {
  console.error("usage: node subscribe.mjs URL SITE");
  process.exit(2);
}
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: {},
  retryAttempts: 0,
  on: { connected: () => console.log("connected") },
});
const query = `subscription($site: String) { articlePublished(site: $site) { id title site { slug } } }`;
const events = client.iterate({ query, variables: { site } });
const timeout = setTimeout(() => {
  console.error("no event within 20 s");
  process.exit(1);
}, 20000);
try {
  for await (const event of events) {
    if (event.errors) {
      console.error(JSON.stringify(event.errors));
      process.exit(1);
    }
    console.log(JSON.stringify(event.data.articlePublished));
    break;
  }
} catch (error) {
  console.error(JSON.stringify(error));
  process.exit(1);
}
clearTimeout(timeout);
await client.dispose();
process.exit(0);
