//! `danvan serve` killed with SIGKILL at random moments while many clients write at once
//! (articles created, edited and published, readers' comments, webhook registrations, and
//! an import running beside them as a process of its own), on SQLite and on PostgreSQL.
//! After each restart every write a client saw acknowledged is there, byte for byte, and
//! nothing is half-written: every article has its search document, one revision for each
//! edit and one change-log row (the webhooks' outbox) for each write; no revision, search
//! document or comment outlives its article.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{Server, admin_token, danvan, free_port, seeds};
use danvan_testing::{Backend, TestDatabase};
use sea_orm::{FromQueryResult, Statement};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How many clients write at once.
const WRITERS: usize = 8;
/// How many times the server is killed under them: four in the suite, more for a long run
/// (`DANVAN_CRASH_KILLS=50 cargo test -p danvan-server --test crash`).
fn kills() -> usize {
    std::env::var("DANVAN_CRASH_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(4)
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_on_sqlite() {
    killed_under_writes(Backend::Sqlite).await;
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_on_postgres() {
    killed_under_writes(Backend::Postgres).await;
}

/// What the clients were told: a write counts once its answer came back without errors.
#[derive(Default, Clone)]
struct Ledger {
    articles: BTreeMap<i64, Known>,
    /// Comments acknowledged: id → (article, author, body).
    comments: BTreeMap<i64, (i64, String, String)>,
    /// Webhooks acknowledged: id → URL.
    webhooks: BTreeMap<i64, String>,
    acknowledged: usize,
    /// Writes whose answer never came (the server died first, or said 503).
    unanswered: usize,
}

/// An article as its writer last saw it acknowledged.
#[derive(Clone)]
struct Known {
    title: String,
    body: String,
    version: i64,
    published: bool,
    /// A later edit on its way, or whose answer was lost: the article holds it or the
    /// acknowledged one.
    unanswered_edit: Option<(String, String)>,
}

enum Outcome {
    Acknowledged(Value),
    Unanswered,
}

async fn killed_under_writes(backend: Backend) {
    let Some(database) = TestDatabase::on(backend, "crash").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("DATABASE_URL", database.url.as_str()),
        ("DANVAN_DEMO", "true"),
        ("DANVAN_AUTH__COMMENTS_PER_WINDOW", "1000000"),
        ("DANVAN_WEBHOOKS__ALLOW_PRIVATE_TARGETS", "true"),
    ];
    let port = free_port();
    let mut server = Server::start_on(dir.path(), &envs, port).await;
    let token = admin_token(dir.path(), &envs, &server).await;
    let base = server.base.clone();

    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (ledger, stop) = (ledger.clone(), stop.clone());
            let (base, token) = (base.clone(), token.clone());
            tokio::spawn(async move { write(w, &base, &token, &ledger, &stop).await })
        })
        .collect();
    // An import beside them, a process of its own that the kills do not touch.
    let importing = seeds().map(|seeds| {
        let mut command = danvan(dir.path(), &envs);
        command
            .args(["import", "--site", "dan-van-lam-son"])
            .arg(&seeds);
        tokio::task::spawn_blocking(move || command.output().unwrap())
    });

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    eprintln!("kill moments from seed {seed}");
    let mut acknowledged_before = 0;
    let mut moment = u64::from(seed);
    for round in 0..kills() {
        moment = moment
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let wait = 400 + (moment >> 33) % 1200;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        // A loaded machine may not have answered a write yet (a restarted server on
        // PostgreSQL opens its pool and catches up first): a kill counts only once writes
        // have gone on, so wait for one, within reason.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while ledger.lock().unwrap().acknowledged == acknowledged_before
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server.kill();
        let acknowledged = ledger.lock().unwrap().acknowledged;
        assert!(
            acknowledged > acknowledged_before,
            "no write acknowledged within a minute before kill {round}"
        );
        acknowledged_before = acknowledged;
        // The database as the killed server left it, before anything else writes (the
        // import aside). A copy of the ledger: the writers go on with theirs meanwhile.
        let known = ledger.lock().unwrap().clone();
        check(&database, &known).await;
        server = Server::start_on(dir.path(), &envs, port).await;
    }
    // The writers go on past the last restart until every kind of write has been
    // acknowledged (a loaded machine gets few done between kills), within reason.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while tokio::time::Instant::now() < deadline {
        let ledger = ledger.lock().unwrap().clone();
        if ledger.articles.len() > WRITERS && !ledger.comments.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.await.unwrap();
    }
    if let Some(importing) = importing {
        let output = importing.await.unwrap();
        assert!(
            output.status.success(),
            "the import beside the writers: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    server.kill();
    let ledger = ledger.lock().unwrap().clone();
    eprintln!(
        "{backend:?}: {} writes acknowledged, {} unanswered, {} articles, {} comments, {} webhooks",
        ledger.acknowledged,
        ledger.unanswered,
        ledger.articles.len(),
        ledger.comments.len(),
        ledger.webhooks.len()
    );
    assert!(ledger.articles.len() > WRITERS && !ledger.comments.is_empty());
    check(&database, &ledger).await;

    // An import again after it all creates nothing: its pages were all stored.
    if let Some(seeds) = seeds() {
        let before = count(&database, "SELECT COUNT(*) AS n FROM article").await;
        let output = danvan(dir.path(), &envs)
            .args(["import", "--site", "dan-van-lam-son"])
            .arg(&seeds)
            .output()
            .unwrap();
        assert!(output.status.success());
        assert_eq!(
            count(&database, "SELECT COUNT(*) AS n FROM article").await,
            before
        );
    }
    database.drop_database().await;
}

/// One client's writes until `stop`: creates, edits, publications, comments on its published
/// articles and now and then a webhook, each noted in `ledger` once acknowledged.
async fn write(w: usize, base: &str, token: &str, ledger: &Mutex<Ledger>, stop: &AtomicBool) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap();
    let mut mine: Vec<i64> = Vec::new();
    let mut n = 0usize;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let pick = |filter: &dyn Fn(&Known) -> bool| {
            let ledger = ledger.lock().unwrap();
            mine.iter()
                .rev()
                .copied()
                .find(|id| ledger.articles.get(id).is_some_and(filter))
        };
        let outcome = match n % 10 {
            0..=3 => {
                let title = format!(
                    "Hội nghị dân vận khéo lần {w}-{n}: Phường Đông Hà triển khai Quy chế dân chủ ở cơ sở"
                );
                let body = format!(
                    "<p>Chiều {n}/12, Ban Dân vận Thị ủy tổ chức hội nghị; đồng chí Nguyễn Thị Hồng Nhung phát biểu chỉ đạo ({w}).</p>"
                );
                let outcome = ask(
                    &client,
                    base,
                    Some(token),
                    "mutation($input: ArticleInput!) { createArticle(site: \"dan-van-lam-son\", input: $input) { id version title body } }",
                    json!({ "input": { "title": title, "body": body } }),
                )
                .await;
                if let Outcome::Acknowledged(data) = &outcome {
                    let made = &data["createArticle"];
                    assert_eq!(made["title"], title.as_str());
                    let id = raw(&made["id"]);
                    mine.push(id);
                    ledger.lock().unwrap().articles.insert(
                        id,
                        Known {
                            title,
                            body: made["body"].as_str().unwrap().to_owned(),
                            version: made["version"].as_i64().unwrap(),
                            published: false,
                            unanswered_edit: None,
                        },
                    );
                }
                outcome
            }
            4..=6 => {
                let Some(id) = pick(&|k: &Known| k.unanswered_edit.is_none()) else {
                    continue;
                };
                let title =
                    format!("Sửa lần {n}: Mô hình “Dân vận khéo” ở xã Gia Hưng, huyện Gia Viễn");
                let body = format!(
                    "<p>Bản sửa {n} của người viết {w}: đường giao thông nông thôn được nhân dân hiến đất.</p>"
                );
                let version = pending(ledger, id, Some((title.clone(), body.clone())));
                let outcome = ask(
                    &client,
                    base,
                    Some(token),
                    "mutation($id: ID!, $v: Int!, $input: ArticleInput!) { updateArticle(id: $id, version: $v, input: $input) { version title body } }",
                    json!({ "id": global(id), "v": version, "input": { "title": title, "body": body } }),
                )
                .await;
                let mut ledger = ledger.lock().unwrap();
                let known = ledger.articles.get_mut(&id).unwrap();
                match &outcome {
                    Outcome::Acknowledged(data) => {
                        let made = &data["updateArticle"];
                        known.title = made["title"].as_str().unwrap().to_owned();
                        known.body = made["body"].as_str().unwrap().to_owned();
                        known.version = made["version"].as_i64().unwrap();
                        known.unanswered_edit = None;
                        assert_eq!(known.title, title);
                    }
                    // It may or may not have been written: no more edits of it.
                    Outcome::Unanswered => {}
                }
                outcome
            }
            7 | 8 => {
                let Some(id) = pick(&|k: &Known| !k.published && k.unanswered_edit.is_none())
                else {
                    continue;
                };
                let version = pending(ledger, id, None);
                let outcome = ask(
                    &client,
                    base,
                    Some(token),
                    "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { version status } }",
                    json!({ "id": global(id), "v": version }),
                )
                .await;
                let mut ledger = ledger.lock().unwrap();
                let known = ledger.articles.get_mut(&id).unwrap();
                match &outcome {
                    Outcome::Acknowledged(data) => {
                        known.version = data["publishArticle"]["version"].as_i64().unwrap();
                        known.published = true;
                        known.unanswered_edit = None;
                    }
                    // Published or not, its version is no longer known: no more edits.
                    Outcome::Unanswered => {}
                }
                outcome
            }
            _ if n % 30 == 9 => {
                let url = format!("http://127.0.0.1:9/hook/{w}/{n}");
                let outcome = ask(
                    &client,
                    base,
                    Some(token),
                    "mutation($input: WebhookInput!) { createWebhook(input: $input) { webhook { id url } } }",
                    json!({ "input": { "url": url, "events": ["article.published"] } }),
                )
                .await;
                if let Outcome::Acknowledged(data) = &outcome {
                    let made = &data["createWebhook"]["webhook"];
                    assert_eq!(made["url"], url.as_str());
                    ledger
                        .lock()
                        .unwrap()
                        .webhooks
                        .insert(raw(&made["id"]), url);
                }
                outcome
            }
            _ => {
                let Some(id) = pick(&|k: &Known| k.published) else {
                    continue;
                };
                let author = format!("Bạn đọc Trần Thị Ánh Tuyết {w}");
                let body = format!(
                    "Ý kiến {n}: đề nghị nhân rộng mô hình “Dân vận khéo” ở các thôn, bản."
                );
                let outcome = ask(
                    &client,
                    base,
                    None,
                    "mutation($a: ID!, $name: String!, $body: String!) { postComment(article: $a, authorName: $name, body: $body) { id authorName body } }",
                    json!({ "a": global(id), "name": author, "body": body }),
                )
                .await;
                if let Outcome::Acknowledged(data) = &outcome {
                    let made = &data["postComment"];
                    assert_eq!(made["body"], body.as_str());
                    ledger
                        .lock()
                        .unwrap()
                        .comments
                        .insert(raw(&made["id"]), (id, author, body));
                }
                outcome
            }
        };
        let mut ledger = ledger.lock().unwrap();
        match outcome {
            Outcome::Acknowledged(_) => ledger.acknowledged += 1,
            Outcome::Unanswered => ledger.unanswered += 1,
        }
    }
}

/// Notes that an edit of article `id` (`edit`, or its content as it is) is on its way:
/// until it is acknowledged the article may hold it or not, also when the server is
/// killed while the answer is still coming. The version the edit is made at.
fn pending(ledger: &Mutex<Ledger>, id: i64, edit: Option<(String, String)>) -> i64 {
    let mut ledger = ledger.lock().unwrap();
    let known = ledger.articles.get_mut(&id).unwrap();
    known.unanswered_edit = Some(edit.unwrap_or_else(|| (known.title.clone(), known.body.clone())));
    known.version
}

/// Sends a write. No answer (the server is down), a cut answer or 503 is `Unanswered`;
/// any other error fails the test: no write here is refused for what it is.
async fn ask(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Outcome {
    let mut request = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let Ok(response) = request.send().await else {
        tokio::time::sleep(Duration::from_millis(50)).await;
        return Outcome::Unanswered;
    };
    let status = response.status();
    let Ok(answer) = response.json::<Value>().await else {
        return Outcome::Unanswered;
    };
    if answer["errors"].is_null() && status == 200 {
        return Outcome::Acknowledged(answer["data"].clone());
    }
    let code = &answer["errors"][0]["extensions"]["code"];
    assert!(
        status == 503 && code == "SERVICE_UNAVAILABLE",
        "a write refused: {status} {answer}"
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    Outcome::Unanswered
}

/// The database holds every acknowledged write as it was acknowledged, and nothing
/// half-written.
async fn check(database: &TestDatabase, ledger: &Ledger) {
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        title: String,
        body: String,
        version: i64,
        status: String,
        revisions: i64,
        changes: i64,
        documents: i64,
        indexed_title: Option<String>,
    }
    let rows = Row::find_by_statement(statement(
        database,
        "SELECT a.id, a.title, a.body, a.version, a.status, \
           (SELECT COUNT(*) FROM article_revision r WHERE r.article_id = a.id) AS revisions, \
           (SELECT COUNT(*) FROM change_log c WHERE c.concept = 'article' AND c.record_id = a.id) AS changes, \
           (SELECT COUNT(*) FROM search_doc s WHERE s.kind = 'article' AND s.ref_id = a.id) AS documents, \
           (SELECT s.title FROM search_doc s WHERE s.kind = 'article' AND s.ref_id = a.id) AS indexed_title \
         FROM article a",
    ))
    .all(&database.db)
    .await
    .unwrap();
    let stored: BTreeMap<i64, &Row> = rows.iter().map(|r| (r.id, r)).collect();
    for row in &rows {
        let id = row.id;
        assert_eq!(row.documents, 1, "article {id}: one search document");
        assert_eq!(
            row.indexed_title.as_deref(),
            Some(row.title.as_str()),
            "article {id}: the search document moved with the article"
        );
        assert_eq!(
            row.revisions,
            row.version - 1,
            "article {id}: a revision for each edit"
        );
        assert_eq!(
            row.changes, row.version,
            "article {id}: a change-log row for each write"
        );
    }
    for (id, known) in &ledger.articles {
        let row = stored
            .get(id)
            .unwrap_or_else(|| panic!("acknowledged article {id} is lost"));
        let held = (row.title.as_str(), row.body.as_str());
        let acknowledged = (known.title.as_str(), known.body.as_str());
        match &known.unanswered_edit {
            None => {
                assert_eq!(held, acknowledged, "article {id} as acknowledged");
                assert_eq!(row.version, known.version, "article {id}'s version");
                if known.published {
                    assert_eq!(row.status, "published", "article {id} published");
                }
            }
            Some((title, _)) => {
                assert!(
                    held == acknowledged || row.title == *title,
                    "article {id} holds its acknowledged or its unanswered edit"
                );
                assert!(row.version >= known.version);
            }
        }
    }
    for (table, child) in [
        ("article_revision", "article_id"),
        ("comment", "article_id"),
    ] {
        let orphans = count(
            database,
            &format!(
                "SELECT COUNT(*) AS n FROM {table} t WHERE NOT EXISTS \
                 (SELECT 1 FROM article a WHERE a.id = t.{child})"
            ),
        )
        .await;
        assert_eq!(orphans, 0, "{table} rows without their article");
    }
    let orphans = count(
        database,
        "SELECT COUNT(*) AS n FROM search_doc s WHERE s.kind = 'article' AND NOT EXISTS \
         (SELECT 1 FROM article a WHERE a.id = s.ref_id)",
    )
    .await;
    assert_eq!(orphans, 0, "search documents without their article");

    #[derive(FromQueryResult)]
    struct Comment {
        id: i64,
        article_id: i64,
        author_name: String,
        body: String,
        changes: i64,
    }
    let comments: BTreeMap<i64, Comment> = Comment::find_by_statement(statement(
        database,
        "SELECT c.id, c.article_id, c.author_name, c.body, \
           (SELECT COUNT(*) FROM change_log l WHERE l.concept = 'comment' AND l.record_id = c.id) AS changes \
         FROM comment c",
    ))
    .all(&database.db)
    .await
    .unwrap()
    .into_iter()
    .map(|c| (c.id, c))
    .collect();
    for comment in comments.values() {
        assert!(
            comment.changes >= 1,
            "comment {}'s change-log row",
            comment.id
        );
    }
    for (id, (article, author, body)) in &ledger.comments {
        let held = comments
            .get(id)
            .unwrap_or_else(|| panic!("acknowledged comment {id} is lost"));
        assert_eq!(
            (held.article_id, &held.author_name, &held.body),
            (*article, author, body)
        );
    }

    #[derive(FromQueryResult)]
    struct Webhook {
        id: i64,
        url: String,
    }
    let webhooks: BTreeMap<i64, String> =
        Webhook::find_by_statement(statement(database, "SELECT id, url FROM webhook_endpoint"))
            .all(&database.db)
            .await
            .unwrap()
            .into_iter()
            .map(|w| (w.id, w.url))
            .collect();
    for (id, url) in &ledger.webhooks {
        assert_eq!(webhooks.get(id), Some(url), "acknowledged webhook {id}");
    }
}

fn statement(database: &TestDatabase, sql: &str) -> Statement {
    Statement::from_string(database.db.get_database_backend(), sql)
}

async fn count(database: &TestDatabase, sql: &str) -> i64 {
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    Count::find_by_statement(statement(database, sql))
        .one(&database.db)
        .await
        .unwrap()
        .unwrap()
        .n
}

fn global(raw: i64) -> String {
    danvan_service::id::encode(danvan_service::id::kind::ARTICLE, raw)
}

fn raw(id: &Value) -> i64 {
    danvan_service::id::decode_any(id.as_str().unwrap())
        .unwrap()
        .1
}
