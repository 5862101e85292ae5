//! Webhooks end to end: a real HTTP receiver started here (axum on a free port) that checks
//! every signature with an independent implementation (the `standardwebhooks` crate), the
//! real router, the real worker, on both databases.

use crate::helpers::{PASSWORD, TestApp, error_code};
use crate::newsroom::{Newsroom, draft, newsroom};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use danvan_server::Settings;
use danvan_testing::TestDatabase;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request the receiver got.
#[derive(Clone)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

/// A partner's endpoint: records what it gets, answers as told (200 once the script is
/// spent).
struct Receiver {
    address: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    async fn start(at: Option<SocketAddr>, script: &[u16]) -> Self {
        let listener =
            tokio::net::TcpListener::bind(at.unwrap_or_else(|| "127.0.0.1:0".parse().unwrap()))
                .await
                .unwrap();
        let address = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
        let (r, s) = (received.clone(), script.clone());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let (r, s) = (r.clone(), s.clone());
                async move {
                    r.lock().unwrap().push(Received { headers, body });
                    let status = s.lock().unwrap().pop_front().unwrap_or(200);
                    (StatusCode::from_u16(status).unwrap(), "ok")
                }
            }),
        );
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            address,
            received,
            task,
        }
    }

    fn url(&self) -> String {
        format!("http://{}/hook", self.address)
    }

    fn got(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `count` requests came (at most 15 s), and gives them.
    async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..300 {
            if self.got().len() >= count {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let got = self.got();
        assert!(
            got.len() >= count,
            "{} of {count} deliveries came",
            got.len()
        );
        got
    }

    fn stop(self) {
        self.task.abort();
    }
}

fn settings(allow_private: bool) -> Settings {
    let mut settings = Settings::default();
    settings.webhooks.allow_private_targets = allow_private;
    settings.webhooks.poll_ms = 50;
    settings.webhooks.retry_first_secs = 1;
    settings.webhooks.timeout_secs = 2;
    settings
}

const CREATE: &str = "mutation($input: WebhookInput!) {
  createWebhook(input: $input) { secret webhook { id url events } }
}";

const PUBLISH: &str =
    "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status } }";

const LOG: &str = "{ webhooks { id deliveries { id messageId eventType status attempts log { statusCode ok response } } } }";

/// Registers `url` for `events` of "dan-van-lam-son" as `token`: the id and the secret.
/// Reads `read` again until `done` holds of its answer (at most 15 s), and gives that answer.
/// A delivery is logged just after the receiver answers, so a test that has heard it may
/// still read the log a moment before the worker wrote it.
async fn eventually<F, Fut>(read: F, done: impl Fn(&Value) -> bool) -> Value
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    let mut answer = read().await;
    for _ in 0..300 {
        if done(&answer) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        answer = read().await;
    }
    answer
}

async fn register(app: &TestApp, token: &str, url: &str, events: &[&str]) -> (String, String) {
    let answer = app
        .graphql_as(
            token,
            CREATE,
            json!({ "input": { "url": url, "events": events, "site": "dan-van-lam-son" } }),
        )
        .await;
    assert!(answer["errors"].is_null(), "{answer}");
    let made = &answer["data"]["createWebhook"];
    (
        made["webhook"]["id"].as_str().unwrap().to_owned(),
        made["secret"].as_str().unwrap().to_owned(),
    )
}

/// Drafts and publishes an article: its id.
async fn publish(app: &TestApp, n: &Newsroom, title: &str) -> String {
    let (id, version) = draft(app, &n.editor, title).await;
    let published = app
        .graphql_as(&n.editor, PUBLISH, json!({ "id": id, "v": version }))
        .await;
    assert!(published["errors"].is_null(), "{published}");
    id
}

/// Checks a delivery's signature with the independent implementation, and gives its body.
fn verified(secret: &str, received: &Received) -> Value {
    standardwebhooks::Webhook::new(secret)
        .unwrap()
        .verify(&received.body, &received.headers)
        .expect("the signature checks");
    serde_json::from_slice(&received.body).unwrap()
}

async fn a_publish_is_delivered_once_signed(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let receiver = Receiver::start(None, &[]).await;
    let app = TestApp::start_delivering(&t, &settings(true)).await;
    let n = newsroom(&t, &app).await;
    let (_, secret) = register(
        &app,
        &n.editor,
        &receiver.url(),
        &["article.published", "comment.approved"],
    )
    .await;
    assert!(secret.starts_with("whsec_"));

    // A draft is nobody's business; its publication is.
    let (_draft, _) = draft(&app, &n.editor, "Bản nháp chưa xuất bản").await;
    let title = "Hội nghị sơ kết 6 tháng thực hiện Quy chế dân chủ ở cơ sở năm 2026";
    let id = publish(&app, &n, title).await;
    let got = receiver.wait_for(1).await;
    let body = verified(&secret, &got[0]);
    assert_eq!(body["type"], "article.published");
    assert!(body["timestamp"].as_str().unwrap().ends_with("+07:00"));
    assert_eq!(body["data"]["id"], id.as_str());
    assert_eq!(body["data"]["title"], title, "Vietnamese text byte-exact");
    assert!(
        body["data"]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://danvan.lamson.example/tin-tuc/")
    );
    assert!(body["data"]["bodyHtml"].is_string(), "the whole article");

    // An approved comment is told too; the rest of the time nothing comes twice.
    let posted = app
        .graphql(
            "mutation($a: ID!) { postComment(article: $a, authorName: \"Nguyễn Văn Bình\", body: \"Rất thiết thực!\") { id } }",
            json!({ "a": id }),
        )
        .await;
    let comment = posted["data"]["postComment"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let approved = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!) { moderateComment(id: $id, status: APPROVED) { status } }",
            json!({ "id": comment }),
        )
        .await;
    assert!(approved["errors"].is_null(), "{approved}");
    let got = receiver.wait_for(2).await;
    let body = verified(&secret, &got[1]);
    assert_eq!(body["type"], "comment.approved");
    assert_eq!(body["data"]["articleId"], id.as_str());
    assert_eq!(body["data"]["authorName"], "Nguyễn Văn Bình");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.got().len(), 2, "each event once");
    let ids: std::collections::BTreeSet<String> = receiver
        .got()
        .iter()
        .map(|r| r.headers["webhook-id"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);

    // The delivery log.
    let log = eventually(
        || app.graphql_as(&n.editor, LOG, json!({})),
        |log| {
            log["data"]["webhooks"][0]["deliveries"]
                .as_array()
                .is_some_and(|all| all.iter().all(|d| d["status"] == "DELIVERED"))
        },
    )
    .await;
    let deliveries = &log["data"]["webhooks"][0]["deliveries"];
    assert_eq!(deliveries.as_array().unwrap().len(), 2, "{log}");
    for delivery in deliveries.as_array().unwrap() {
        assert_eq!(delivery["status"], "DELIVERED");
        assert_eq!(delivery["attempts"], 1);
        assert_eq!(delivery["log"][0]["statusCode"], 200);
    }
    // The server's metrics saw both attempts, and how long each delivery was owed.
    let metrics = app.get("/metrics").await.text().await.unwrap();
    for line in [
        "danvan_webhook_attempts_total{outcome=\"delivered\"} 2",
        "danvan_webhook_attempt_duration_seconds_count 2",
        "danvan_webhook_delivery_delay_seconds_count 2",
    ] {
        assert!(metrics.contains(line), "{line} in:\n{metrics}");
    }

    // A replay sends the same message again.
    let webhook = log["data"]["webhooks"][0]["id"].as_str().unwrap();
    let first = deliveries[1]["id"].as_str().unwrap();
    let replayed = app
        .graphql_as(
            &n.editor,
            "mutation($w: ID!, $d: ID) { replayWebhook(id: $w, delivery: $d) }",
            json!({ "w": webhook, "d": first }),
        )
        .await;
    assert_eq!(replayed["data"]["replayWebhook"], 1, "{replayed}");
    let got = receiver.wait_for(3).await;
    assert_eq!(got[2].headers["webhook-id"], got[0].headers["webhook-id"]);
    verified(&secret, &got[2]);
    app.stop().await;
    receiver.stop();
    t
}

async fn a_delivery_carries_the_article_s_photos(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let receiver = Receiver::start(None, &[]).await;
    let app = TestApp::start_delivering(&t, &settings(true)).await;
    let n = newsroom(&t, &app).await;
    let (_, secret) = register(&app, &n.editor, &receiver.url(), &["article.published"]).await;
    let uploaded = app
        .upload(
            Some(&n.editor),
            &[("caption", "Quang cảnh hội nghị")],
            danvan_testing::photo::jpeg_with_exif(800, 600),
            "hoi-nghi.jpg",
        )
        .await;
    let photo: Value = uploaded.json().await.unwrap();
    let photo = photo["id"].as_str().unwrap();
    let (id, version) = draft(
        &app,
        &n.editor,
        "Hội nghị giao ban công tác dân vận quý III",
    )
    .await;
    let published = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!, $v: Int!, $input: ArticleInput!) { updateArticle(id: $id, version: $v, input: $input) { version } }",
            json!({ "id": id, "v": version, "input": { "cover": photo } }),
        )
        .await;
    let version = published["data"]["updateArticle"]["version"]
        .as_i64()
        .unwrap();
    app.graphql_as(
        &n.editor,
        "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status } }",
        json!({ "id": id, "v": version }),
    )
    .await;
    let got = receiver.wait_for(1).await;
    let body = verified(&secret, &got[0]);
    let cover = &body["data"]["cover"];
    assert_eq!(cover["id"], photo, "{body}");
    assert_eq!(cover["caption"], "Quang cảnh hội nghị");
    let srcset = cover["srcset"]["webp"].as_str().unwrap();
    assert!(
        srcset.starts_with(&format!(
            "http://127.0.0.1:8080/media/{photo}/320.webp 320w"
        )),
        "absolute, unsigned: {srcset}"
    );
    receiver.task.abort();
    app.stop().await;
    t
}

async fn failed_deliveries_are_retried(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    // Answers 500, then 200.
    let receiver = Receiver::start(None, &[500]).await;
    let app = TestApp::start_delivering(&t, &settings(true)).await;
    let n = newsroom(&t, &app).await;
    let (_, secret) = register(&app, &n.admin, &receiver.url(), &["article.published"]).await;
    publish(&app, &n, "Giao ban công tác dân vận quý IV").await;
    let got = receiver.wait_for(2).await;
    assert_eq!(got[0].headers["webhook-id"], got[1].headers["webhook-id"]);
    verified(&secret, &got[1]);
    let log = eventually(
        || app.graphql_as(&n.admin, LOG, json!({})),
        |log| log["data"]["webhooks"][0]["deliveries"][0]["status"] == "DELIVERED",
    )
    .await;
    let delivery = &log["data"]["webhooks"][0]["deliveries"][0];
    assert_eq!(delivery["status"], "DELIVERED", "{log}");
    assert_eq!(delivery["log"][0]["statusCode"], 500);
    assert_eq!(delivery["log"][1]["statusCode"], 200);

    // A receiver that is down gets what it is owed once it is back.
    let address = receiver.address;
    receiver.stop();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let id = publish(&app, &n, "Tuyên dương mô hình “Dân vận khéo” tiêu biểu").await;
    // Its first attempt fails and is logged; the delivery waits for its retry.
    let log = eventually(
        || app.graphql_as(&n.admin, LOG, json!({})),
        |log| {
            let deliveries = &log["data"]["webhooks"][0]["deliveries"];
            deliveries.as_array().is_some_and(|all| all.len() == 2)
                && !deliveries[0]["log"][0].is_null()
        },
    )
    .await;
    let pending = &log["data"]["webhooks"][0]["deliveries"][0];
    assert_eq!(pending["eventType"], "article.published", "{log}");
    assert_eq!(pending["status"], "PENDING", "{log}");
    assert!(
        pending["log"][0]["statusCode"].is_null(),
        "no answer: {log}"
    );
    let back = Receiver::start(Some(address), &[]).await;
    let got = back.wait_for(1).await;
    let body = verified(&secret, &got[0]);
    assert_eq!(body["data"]["id"], id.as_str());
    app.stop().await;
    back.stop();
    t
}

async fn private_addresses_are_refused(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let app = TestApp::start_delivering(&t, &settings(false)).await;
    let n = newsroom(&t, &app).await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://10.0.0.7/hook",
        "ftp://partner.example.vn/hook",
    ] {
        let answer = app
            .graphql_as(
                &n.admin,
                CREATE,
                json!({ "input": { "url": url, "events": ["article.published"] } }),
            )
            .await;
        assert_eq!(error_code(&answer), "BAD_USER_INPUT", "{url}: {answer}");
    }
    // Who may register: not a reporter, not another site's editor, not an editor for
    // every site.
    let input = json!({ "input": { "url": "http://127.0.0.1:9/hook", "events": ["article.published"], "site": "dan-van-lam-son" } });
    for token in [&n.reporter, &n.other_editor] {
        let answer = app.graphql_as(token, CREATE, input.clone()).await;
        assert_eq!(error_code(&answer), "FORBIDDEN", "{answer}");
    }
    let everywhere =
        json!({ "input": { "url": "http://127.0.0.1:9/hook", "events": ["article.published"] } });
    let answer = app.graphql_as(&n.editor, CREATE, everywhere).await;
    assert_eq!(error_code(&answer), "FORBIDDEN", "{answer}");
    let unknown = json!({ "input": { "url": "http://127.0.0.1:9/hook", "events": ["article.liked"], "site": "dan-van-lam-son" } });
    let answer = app.graphql_as(&n.editor, CREATE, unknown).await;
    assert_eq!(error_code(&answer), "BAD_USER_INPUT", "{answer}");
    app.stop().await;

    // Registered where private addresses were allowed, delivered where they are not: the
    // address is checked again before each attempt, and nothing is sent.
    let receiver = Receiver::start(None, &[]).await;
    let allowing = TestApp::start_with(&t, &settings(true)).await;
    let admin = allowing.login("quantri", PASSWORD).await.0;
    register(&allowing, &admin, &receiver.url(), &["article.published"]).await;
    allowing.stop().await;
    let strict = TestApp::start_delivering(&t, &settings(false)).await;
    let token = strict.login("bientap", PASSWORD).await.0;
    let (id, version) = draft(&strict, &token, "Hội nghị tập huấn công tác dân vận").await;
    let published = strict
        .graphql_as(&token, PUBLISH, json!({ "id": id, "v": version }))
        .await;
    assert!(published["errors"].is_null(), "{published}");
    let mut refused = Value::Null;
    for _ in 0..100 {
        let log = strict.graphql_as(&token, LOG, json!({})).await;
        refused = log["data"]["webhooks"][0]["deliveries"][0]["log"][0].clone();
        if !refused.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(refused["ok"], false, "{refused}");
    assert!(
        refused["response"].as_str().unwrap().contains("private"),
        "{refused}"
    );
    assert!(
        receiver.got().is_empty(),
        "nothing reached the private address"
    );
    strict.stop().await;
    receiver.stop();
    t
}

async fn several_workers_deliver_each_event_once(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let receiver = Receiver::start(None, &[]).await;
    // Written while no worker runs: the changes wait in the log.
    let app = TestApp::start_with(&t, &settings(true)).await;
    let n = newsroom(&t, &app).await;
    let (_, secret) = register(&app, &n.admin, &receiver.url(), &["article.published"]).await;
    let mut published = Vec::new();
    for i in 1..=12 {
        published.push(publish(&app, &n, &format!("Tin hoạt động dân vận số {i}")).await);
    }
    app.stop().await;
    assert!(receiver.got().is_empty());
    // Two servers with a worker each.
    let one = TestApp::start_delivering(&t, &settings(true)).await;
    let two = TestApp::start_delivering(&t, &settings(true)).await;
    let got = receiver.wait_for(12).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let got_all = receiver.got();
    let ids: Vec<String> = got_all
        .iter()
        .map(|r| r.headers["webhook-id"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(got_all.len(), 12, "nothing twice: {ids:?}");
    let order: Vec<String> = got
        .iter()
        .map(|r| {
            verified(&secret, r)["data"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(order, published, "in the order they were published");
    one.stop().await;
    two.stop().await;
    receiver.stop();
    t
}

async fn the_json_api_manages_webhooks(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let receiver = Receiver::start(None, &[]).await;
    let app = TestApp::start_delivering(&t, &settings(true)).await;
    let n = newsroom(&t, &app).await;
    let call = |method: reqwest::Method, path: &str, token: Option<&str>, body: Option<Value>| {
        let mut request = app.client.request(method, app.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };
    let new = json!({ "url": receiver.url(), "events": ["article.published"], "site": "dan-van-lam-son" });
    let anonymous = call(
        reqwest::Method::POST,
        "/api/v1/webhooks",
        None,
        Some(new.clone()),
    )
    .await
    .unwrap();
    assert_eq!(anonymous.status(), 401);
    let reporter = call(
        reqwest::Method::POST,
        "/api/v1/webhooks",
        Some(&n.reporter),
        Some(new.clone()),
    )
    .await
    .unwrap();
    assert_eq!(reporter.status(), 403);
    assert_eq!(
        reporter.headers()["content-type"],
        "application/problem+json"
    );
    let made = call(
        reqwest::Method::POST,
        "/api/v1/webhooks",
        Some(&n.admin),
        Some(new),
    )
    .await
    .unwrap();
    assert_eq!(made.status(), 201);
    let made: Value = made.json().await.unwrap();
    let id = made["webhook"]["id"].as_str().unwrap().to_owned();
    let secret = made["secret"].as_str().unwrap().to_owned();
    let listed: Value = call(
        reqwest::Method::GET,
        "/api/v1/webhooks",
        Some(&n.editor),
        None,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(
        listed[0]["id"],
        id.as_str(),
        "the site's editor sees it: {listed}"
    );

    let article = publish(
        &app,
        &n,
        "Đối thoại giữa người đứng đầu cấp ủy với Nhân dân",
    )
    .await;
    let got = receiver.wait_for(1).await;
    assert_eq!(verified(&secret, &got[0])["data"]["id"], article.as_str());
    let log = eventually(
        || async {
            call(
                reqwest::Method::GET,
                &format!("/api/v1/webhooks/{id}/deliveries"),
                Some(&n.admin),
                None,
            )
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
        },
        |log| log[0]["status"] == "DELIVERED",
    )
    .await;
    assert_eq!(log[0]["status"], "DELIVERED", "{log}");
    assert_eq!(log[0]["attempts"][0]["statusCode"], 200);
    let replayed: Value = call(
        reqwest::Method::POST,
        &format!("/api/v1/webhooks/{id}/replay"),
        Some(&n.admin),
        Some(json!({ "since": "2020-01-01T00:00:00+07:00" })),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(replayed["replayed"], 1, "{replayed}");
    receiver.wait_for(2).await;
    // A new secret: the next delivery is signed with both.
    let rotated: Value = call(
        reqwest::Method::POST,
        &format!("/api/v1/webhooks/{id}/rotate-secret"),
        Some(&n.editor),
        None,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let newer = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(newer, secret);
    let enabled = call(
        reqwest::Method::POST,
        &format!("/api/v1/webhooks/{id}/enable"),
        Some(&n.admin),
        None,
    )
    .await
    .unwrap();
    assert_eq!(enabled.status(), 200);
    publish(&app, &n, "Hội nghị sau khi đổi khóa bí mật").await;
    let got = receiver.wait_for(3).await;
    verified(&newer, &got[2]);
    verified(&secret, &got[2]);
    let deleted = call(
        reqwest::Method::DELETE,
        &format!("/api/v1/webhooks/{id}"),
        Some(&n.admin),
        None,
    )
    .await
    .unwrap();
    assert_eq!(deleted.status(), 200);
    publish(&app, &n, "Sau khi xóa điểm nhận, không còn gửi").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        receiver.got().len(),
        3,
        "nothing after the endpoint is deleted"
    );
    app.stop().await;
    receiver.stop();
    t
}

async fn directory_events_reach_their_sites(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let ours = Receiver::start(None, &[]).await;
    let theirs = Receiver::start(None, &[]).await;
    let app = TestApp::start_delivering(&t, &settings(true)).await;
    let n = newsroom(&t, &app).await;
    let events = ["meeting.created", "meeting.updated", "dvk_model.created"];
    let (_, secret) = register(&app, &n.editor, &ours.url(), &events).await;
    // Another site's endpoint hears nothing of this site's organisations.
    let other = app
        .graphql_as(
            &n.other_editor,
            CREATE,
            json!({ "input": { "url": theirs.url(), "events": events, "site": "phu-thinh" } }),
        )
        .await;
    assert!(other["errors"].is_null(), "{other}");
    let meeting = app
        .graphql_as(
            &n.editor,
            "mutation($input: MeetingInput!) { createMeeting(input: $input) { id version } }",
            json!({ "input": { "title": "Hội nghị chuyên đề về công tác dân vận chính quyền", "kind": "THEMATIC", "heldOn": "2026-11-20", "organiser": n.home } }),
        )
        .await;
    assert!(meeting["errors"].is_null(), "{meeting}");
    let id = meeting["data"]["createMeeting"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let updated = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!) { updateMeeting(id: $id, version: 1, input: { location: \"Hội trường Tỉnh ủy\" }) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(updated["errors"].is_null(), "{updated}");
    let got = ours.wait_for(2).await;
    let created = verified(&secret, &got[0]);
    assert_eq!(created["type"], "meeting.created");
    assert_eq!(created["data"]["id"], id.as_str());
    assert_eq!(
        created["data"]["title"],
        "Hội nghị chuyên đề về công tác dân vận chính quyền"
    );
    let changed = verified(&secret, &got[1]);
    assert_eq!(changed["type"], "meeting.updated");
    assert_eq!(changed["data"]["location"], "Hội trường Tỉnh ủy");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(theirs.got().is_empty(), "not the other site's");
    app.stop().await;
    ours.stop();
    theirs.stop();
    t
}

async fn a_scheduled_article_is_told_when_its_time_comes(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let receiver = Receiver::start(None, &[]).await;
    let app = TestApp::start_delivering(&t, &settings(true)).await;
    let n = newsroom(&t, &app).await;
    let (_, secret) = register(&app, &n.editor, &receiver.url(), &["article.published"]).await;
    let (id, version) = draft(
        &app,
        &n.editor,
        "Thông cáo báo chí: hội nghị sẽ diễn ra ngày mai",
    )
    .await;
    let at = chrono::Utc::now() + chrono::Duration::seconds(2);
    let scheduled = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!, $v: Int!, $at: DateTime) { publishArticle(id: $id, version: $v, at: $at) { status } }",
            json!({ "id": id, "v": version, "at": at.to_rfc3339() }),
        )
        .await;
    assert!(scheduled["errors"].is_null(), "{scheduled}");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert!(
        receiver.got().is_empty(),
        "nothing of it before its time: the text is embargoed"
    );
    let got = receiver.wait_for(1).await;
    assert!(chrono::Utc::now() >= at);
    let body = verified(&secret, &got[0]);
    assert_eq!(body["type"], "article.published");
    assert_eq!(body["data"]["id"], id.as_str());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.got().len(), 1, "once");
    app.stop().await;
    receiver.stop();
    t
}

danvan_testing::on_both_backends!(
    a_publish_is_delivered_once_signed,
    a_delivery_carries_the_article_s_photos,
    failed_deliveries_are_retried,
    private_addresses_are_refused,
    several_workers_deliver_each_event_once,
    the_json_api_manages_webhooks,
    directory_events_reach_their_sites,
    a_scheduled_article_is_told_when_its_time_comes,
);
