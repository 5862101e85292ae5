//! GraphQL subscriptions over WebSocket (graphql-transport-ws), spoken by a client written
//! here from the protocol's text with a real WebSocket library, against the real router and
//! the real change-log pump, on both databases.

use crate::helpers::TestApp;
use crate::newsroom::{Newsroom, draft, newsroom};
use danvan_server::Settings;
use danvan_testing::TestDatabase;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One client of the protocol.
struct Client(Socket);

/// How a server's message or the socket's end looks to the client.
#[derive(Debug)]
enum Heard {
    Message(Value),
    Closed(u16, String),
}

impl Client {
    /// Opens a socket asking for the protocol, without `connection_init`.
    async fn open(app: &TestApp) -> Self {
        let url = app.url("/graphql/ws").replacen("http", "ws", 1);
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
        assert_eq!(
            response.headers()["sec-websocket-protocol"],
            "graphql-transport-ws"
        );
        Self(socket)
    }

    /// Opens a socket and is acknowledged with `payload` as its credentials.
    async fn connect(app: &TestApp, payload: Value) -> Self {
        let mut client = Self::open(app).await;
        client
            .send(json!({"type": "connection_init", "payload": payload}))
            .await;
        let ack = client.message().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        client
    }

    async fn send(&mut self, message: Value) {
        self.0
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
    }

    async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({"type": "subscribe", "id": id, "payload": {"query": query, "variables": variables}}))
            .await;
    }

    /// The next message or the close, answering the server's pings as the protocol asks.
    async fn hear(&mut self) -> Heard {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(15), self.0.next())
                .await
                .expect("the server says something within 15 s");
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let message: Value = serde_json::from_str(&text).unwrap();
                    if message["type"] == "ping" {
                        self.send(json!({"type": "pong"})).await;
                        continue;
                    }
                    return Heard::Message(message);
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame.map_or((1005, String::new()), |f| {
                        (f.code.into(), f.reason.to_string())
                    });
                    return Heard::Closed(code, reason);
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return Heard::Closed(1006, String::new()),
            }
        }
    }

    async fn message(&mut self) -> Value {
        match self.hear().await {
            Heard::Message(message) => message,
            closed => panic!("expected a message, the socket ended: {closed:?}"),
        }
    }

    async fn closed(&mut self) -> (u16, String) {
        match self.hear().await {
            Heard::Closed(code, reason) => (code, reason),
            Heard::Message(message) => panic!("expected the close, got {message}"),
        }
    }

    /// Nothing arrives for a while.
    async fn quiet(&mut self) {
        let heard = tokio::time::timeout(Duration::from_millis(1500), self.0.next()).await;
        assert!(heard.is_err(), "expected nothing, got {heard:?}");
    }
}

const PUBLISH: &str =
    "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status version } }";

async fn publish(app: &TestApp, n: &Newsroom, title: &str) -> String {
    let (id, version) = draft(app, &n.editor, title).await;
    let published = app
        .graphql_as(&n.editor, PUBLISH, json!({ "id": id, "v": version }))
        .await;
    assert!(published["errors"].is_null(), "{published}");
    id
}

async fn a_publish_reaches_its_subscribers(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let app = TestApp::start_delivering(&t, &Settings::default()).await;
    let n = newsroom(&t, &app).await;

    let mut reader = Client::connect(&app, json!({})).await;
    reader
        .subscribe(
            "lam-son",
            "subscription($site: String) { articlePublished(site: $site) { id title site { slug } } }",
            json!({"site": "dan-van-lam-son"}),
        )
        .await;
    reader
        .subscribe(
            "log",
            "subscription { changes(site: \"dan-van-lam-son\") { concept action id } }",
            json!({}),
        )
        .await;
    let mut elsewhere = Client::connect(&app, json!({})).await;
    elsewhere
        .subscribe(
            "phu-thinh",
            "subscription { articlePublished(site: \"phu-thinh\") { title } }",
            json!({}),
        )
        .await;
    // The subscriptions are in place before anything is written.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let metrics = app.get("/metrics").await.text().await.unwrap();
    for line in ["danvan_subscription_sockets 2", "danvan_subscriptions 3"] {
        assert!(metrics.contains(line), "{line} in:\n{metrics}");
    }

    let title = "Hội nghị tập huấn công tác dân vận khéo năm 2026";
    let id = publish(&app, &n, title).await;
    let mut published = None;
    let mut logged = Vec::new();
    while published.is_none() || logged.is_empty() {
        let message = reader.message().await;
        assert_eq!(message["type"], "next", "{message}");
        match message["id"].as_str().unwrap() {
            "lam-son" => published = Some(message["payload"]["data"]["articlePublished"].clone()),
            _ => logged.push(message["payload"]["data"]["changes"].clone()),
        }
    }
    let published = published.unwrap();
    assert_eq!(published["id"], id);
    assert_eq!(published["title"], title, "byte-exact");
    assert_eq!(published["site"]["slug"], "dan-van-lam-son");
    // Its publication as the log says; the draft's making before it is the newsroom's
    // business, not told to the public.
    assert_eq!(
        logged,
        [json!({"concept": "ARTICLE", "action": "PUBLISHED", "id": id})]
    );
    // Another site's subscriber hears nothing of it.
    elsewhere.quiet().await;

    // A completed subscription hears no more; the other goes on.
    reader
        .send(json!({"type": "complete", "id": "lam-son"}))
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = publish(&app, &n, "Sơ kết 6 tháng thực hiện Quy chế dân chủ ở cơ sở").await;
    let message = reader.message().await;
    assert_eq!(message["id"], "log", "{message}");
    assert_eq!(message["payload"]["data"]["changes"]["id"], second);
    app.stop().await;
    t
}

const CHANGED: &str =
    "subscription($id: ID!) { articleChanged(id: $id) { action article { title status } } }";

async fn an_article_is_followed_as_its_reader_may_see_it(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let app = TestApp::start_delivering(&t, &Settings::default()).await;
    let n = newsroom(&t, &app).await;
    let (id, version) = draft(&app, &n.editor, "Bản thảo: hội nghị giao ban khối dân vận").await;

    // The public may not follow a draft: an `error` for that subscription, not a closed socket.
    let mut public = Client::connect(&app, json!({})).await;
    public.subscribe("d", CHANGED, json!({"id": id})).await;
    let refused = public.message().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "d");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "NOT_FOUND");

    // Its editor may, signed in by `connection_init`.
    let mut editor = Client::connect(
        &app,
        json!({"authorization": format!("Bearer {}", n.editor)}),
    )
    .await;
    editor.subscribe("d", CHANGED, json!({"id": id})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let published = app
        .graphql_as(&n.editor, PUBLISH, json!({ "id": id, "v": version }))
        .await;
    assert!(published["errors"].is_null(), "{published}");
    let message = editor.message().await;
    assert_eq!(message["type"], "next", "{message}");
    let changed = &message["payload"]["data"]["articleChanged"];
    assert_eq!(changed["action"], "PUBLISHED");
    assert_eq!(changed["article"]["status"], "PUBLISHED");
    assert_eq!(
        changed["article"]["title"],
        "Bản thảo: hội nghị giao ban khối dân vận"
    );

    // Published, the public may follow it too; its deletion reaches both, without the article.
    public.subscribe("p", CHANGED, json!({"id": id})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let deleted = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!, $v: Int!) { deleteArticle(id: $id, version: $v) { deletedAt } }",
            json!({ "id": id, "v": published["data"]["publishArticle"]["version"] }),
        )
        .await;
    assert!(deleted["errors"].is_null(), "{deleted}");
    let message = public.message().await;
    assert_eq!(message["id"], "p", "{message}");
    assert_eq!(
        message["payload"]["data"]["articleChanged"]["action"],
        "DELETED"
    );
    assert!(message["payload"]["data"]["articleChanged"]["article"].is_null());
    app.stop().await;
    t
}

async fn the_protocol_is_kept(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let mut settings = Settings::default();
    settings.graphql.subscriptions_per_connection = 1;
    let app = TestApp::start_delivering(&t, &settings).await;

    // Without the protocol: refused before any socket.
    let plain = app.get("/graphql/ws").await;
    assert!(plain.status().is_client_error(), "{}", plain.status());

    // A subscription before the acknowledgement: 4401.
    let mut early = Client::open(&app).await;
    early
        .subscribe(
            "1",
            "subscription { changes(site: \"dan-van-lam-son\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(early.closed().await.0, 4401);

    // Credentials that are not valid: 4403.
    let mut forged = Client::open(&app).await;
    forged
        .send(
            json!({"type": "connection_init", "payload": {"authorization": "Bearer not-a-token"}}),
        )
        .await;
    assert_eq!(forged.closed().await.0, 4403);

    // A message that is not the protocol's: 4400.
    let mut garbled = Client::connect(&app, json!({})).await;
    garbled.send(json!({"type": "hello"})).await;
    assert_eq!(garbled.closed().await.0, 4400);

    let mut client = Client::connect(&app, json!({})).await;
    // An invalid subscription, a query and an unknown site: each an `error`, the socket stays.
    client
        .subscribe("bad", "subscription { nothingHere }", json!({}))
        .await;
    let message = client.message().await;
    assert_eq!(
        (message["type"].as_str(), message["id"].as_str()),
        (Some("error"), Some("bad")),
        "{message}"
    );
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    client.subscribe("q", "{ sites { slug } }", json!({})).await;
    let message = client.message().await;
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    client
        .subscribe(
            "nowhere",
            "subscription { articlePublished(site: \"khong-co\") { title } }",
            json!({}),
        )
        .await;
    let message = client.message().await;
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(message["payload"][0]["extensions"]["code"], "NOT_FOUND");
    // Ping and pong.
    client
        .send(json!({"type": "ping", "payload": {"n": 1}}))
        .await;
    assert_eq!(
        client.message().await,
        json!({"type": "pong", "payload": {"n": 1}})
    );
    // One subscription is the limit here: a second is refused, the first runs on.
    let watch = "subscription { changes(site: \"dan-van-lam-son\") { id } }";
    client.subscribe("1", watch, json!({})).await;
    client.subscribe("2", watch, json!({})).await;
    let message = client.message().await;
    assert_eq!(
        (message["type"].as_str(), message["id"].as_str()),
        (Some("error"), Some("2")),
        "{message}"
    );
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "LIMIT_EXCEEDED"
    );
    // An id in use: 4409.
    client.subscribe("1", watch, json!({})).await;
    assert_eq!(client.closed().await.0, 4409);
    app.stop().await;
    t
}

async fn approved_comments_reach_their_article_s_subscribers(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let app = TestApp::start_delivering(&t, &Settings::default()).await;
    let n = newsroom(&t, &app).await;
    let article = publish(&app, &n, "Bạn đọc góp ý về mô hình Dân vận khéo").await;
    let other = publish(&app, &n, "Hội nghị biểu dương điển hình tiên tiến").await;

    let mut reader = Client::connect(&app, json!({})).await;
    reader
        .subscribe(
            "c",
            "subscription($a: ID!) { commentApproved(article: $a) { authorName body status } }",
            json!({"a": article}),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let post = "mutation($a: ID!, $name: String!, $body: String!) { postComment(article: $a, authorName: $name, body: $body) { id } }";
    let moderate = "mutation($id: ID!, $s: CommentStatus!) { moderateComment(id: $id, status: $s) { status } }";
    let mut ids = Vec::new();
    for (on, body) in [
        (&other, "Bình luận ở bài khác"),
        (&article, "Rất mong được nhân rộng"),
        (&article, "Nội dung bị từ chối"),
        (&article, "Cảm ơn Ban Dân vận Huyện ủy"),
    ] {
        let posted = app
            .graphql(
                post,
                json!({"a": on, "name": "Nguyễn Thị Hoà", "body": body}),
            )
            .await;
        ids.push(
            posted["data"]["postComment"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // Posting is not approval: nothing yet.
    reader.quiet().await;
    for (id, status) in ids
        .iter()
        .zip(["APPROVED", "APPROVED", "REJECTED", "APPROVED"])
    {
        let moderated = app
            .graphql_as(&n.editor, moderate, json!({"id": id, "s": status}))
            .await;
        assert!(moderated["errors"].is_null(), "{moderated}");
    }
    // Only this article's approved comments, in the order they were approved.
    for body in ["Rất mong được nhân rộng", "Cảm ơn Ban Dân vận Huyện ủy"] {
        let message = reader.message().await;
        assert_eq!(message["type"], "next", "{message}");
        let comment = &message["payload"]["data"]["commentApproved"];
        assert_eq!(comment["body"], body);
        assert_eq!(comment["authorName"], "Nguyễn Thị Hoà");
        assert_eq!(comment["status"], "APPROVED");
    }
    reader.quiet().await;
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    approved_comments_reach_their_article_s_subscribers,
    a_publish_reaches_its_subscribers,
    an_article_is_followed_as_its_reader_may_see_it,
    the_protocol_is_kept,
);
