// graphql-http's server audits (the GraphQL-over-HTTP specification's MUSTs and SHOULDs)
// against the danvan at the URL given, e.g. `node audit.mjs http://127.0.0.1:8080/graphql`.
// Prints each audit and exits non-zero when a MUST fails, or a SHOULD that README.md does
// not explain.
import { serverAudits } from "graphql-http";

// SHOULDs danvan leaves on purpose, by audit id; README.md ("GraphQL over HTTP") says why.
const explained = new Set([]);

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs URL");
  process.exit(2);
}
let failed = 0;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const ok = result.status === "ok";
  const line = `${result.status.padEnd(6)} ${audit.id} ${audit.name}`;
  console.log(ok ? line : `${line}\n       ${result.reason}`);
  // graphql-http reports a failed MUST as "error", a SHOULD as "warn", a MAY as "notice".
  if (result.status === "error") failed++;
  if (result.status === "warn" && !explained.has(audit.id)) failed++;
}
console.log(failed ? `${failed} audits failed` : "every audit passed");
process.exit(failed ? 1 : 0);
