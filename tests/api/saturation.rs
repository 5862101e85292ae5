//! More slow requests than the database has connections: each waits at most
//! `database.wait_ms` for one, or at most `http.request_timeout_secs` in all, and is then
//! answered 503 with `Retry-After` in its door's shape; nothing hangs, `/healthz` answers
//! throughout, and once the database is free everything answers again. A flood of large
//! bodies is refused without the server holding them.

use crate::helpers::TestApp;
use danvan_server::Settings;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LIST: &str = "/api/v1/articles?site=dan-van-lam-son&limit=5";

async fn bounded<T>(what: &str, request: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), request)
        .await
        .unwrap_or_else(|_| panic!("{what} hung"))
}

#[tokio::test]
async fn more_slow_requests_than_connections_are_503_with_retry_after_and_none_hangs() {
    let Some(t) = danvan_testing::TestDatabase::postgres("saturation").await else {
        return;
    };
    danvan_server::demo::load(&t.db).await.unwrap();
    let mut settings = Settings {
        database_url: t.url.clone(),
        demo: Some(false),
        ..Settings::default()
    };
    settings.database.wait_ms = 500;
    settings.http.request_timeout_secs = 2;
    // Every answer from the database.
    settings.graphql.response_cache_mb = 0;
    settings.api.response_cache_mb = 0;
    settings.api.validator_max_age_ms = 0;
    let app = TestApp::start_prepared(&settings).await;
    assert_eq!(app.get(LIST).await.status(), 200);

    // Another session locks the articles: every read of them waits, holding its connection.
    let other = danvan_store::connect(&t.url).await.unwrap();
    let held = danvan_store::TransactionTrait::begin(&other).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(
        &held,
        "LOCK TABLE article IN ACCESS EXCLUSIVE MODE",
    )
    .await
    .unwrap();

    // Three times as many requests as the pool's ten connections, from both doors.
    let began = Instant::now();
    let requests = (0..30).map(|i| {
        let client = app.client.clone();
        let (list, graphql) = (app.url(LIST), app.url("/graphql"));
        async move {
            let response = if i % 3 == 0 {
                client
                    .post(graphql)
                    .json(
                        &json!({ "query": "{ articles(first: 5) { edges { node { title } } } }" }),
                    )
                    .send()
                    .await
            } else {
                client.get(list).send().await
            }
            .unwrap();
            let status = response.status();
            let retry = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
            let body: Value = response.json().await.unwrap();
            (i % 3 == 0, status, retry, body)
        }
    });
    let answers = bounded("the requests", futures::future::join_all(requests)).await;
    eprintln!("30 requests answered within {:?}", began.elapsed());
    for (graphql, status, retry, body) in &answers {
        assert_eq!(status.as_u16(), 503, "{body}");
        assert_eq!(retry.as_deref(), Some("5"), "{body}");
        let code = if *graphql {
            &body["errors"][0]["extensions"]["code"]
        } else {
            &body["code"]
        };
        assert_eq!(code, "SERVICE_UNAVAILABLE", "{body}");
    }
    assert_eq!(
        bounded("/healthz", app.get("/healthz")).await.status(),
        200,
        "alive while saturated"
    );

    // The articles free again: answered again, by every connection of the pool.
    held.rollback().await.unwrap();
    let back = Instant::now();
    loop {
        let statuses = futures::future::join_all((0..12).map(|_| app.get(LIST))).await;
        if statuses.iter().all(|r| r.status() == 200) {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(30),
            "not answering after the lock was let go"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    other.close().await.unwrap();
    app.stop().await;
    t.drop_database().await;
}

/// The resident memory of this process, in KiB.
fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Streams up to `size` bytes of a chunked body at `path` and reads what the server says.
async fn send_large(address: &str, path: &str, size: usize) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: danvan\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0;
    while sent < size {
        let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if stream.write_all(&frame).await.is_err() {
            break;
        }
        sent += chunk.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_flood_of_large_bodies_is_refused_without_being_held() {
    let t = danvan_testing::TestDatabase::sqlite().await;
    let app = TestApp::start(&t).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let before = resident_kib();
    // 64 clients at once, each streaming 8 MiB without saying how long: half a gigabyte
    // that a server reading bodies whole would hold.
    let paths = ["/graphql", "/auth/login", "/api/v1/auth/login"];
    let floods = (0..64).map(|i| send_large(&address, paths[i % paths.len()], 8 << 20));
    let answers = bounded("the flood", futures::future::join_all(floods)).await;
    let grown_mib = resident_kib().saturating_sub(before) / 1024;
    eprintln!("resident memory grew {grown_mib} MiB under the flood");
    for answer in &answers {
        let status = answer.split(' ').nth(1).unwrap_or("none");
        assert!(
            status == "413" || answer.is_empty(),
            "refused as too large, or cut: {answer:.200}"
        );
    }
    assert!(
        answers
            .iter()
            .filter(|a| a.contains("LIMIT_EXCEEDED"))
            .count()
            >= 32,
        "most were told why"
    );
    // The bodies were not kept: at most the limit (256 KiB) of each in flight at once.
    assert!(grown_mib < 128, "grew {grown_mib} MiB");
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.stop().await;
    t.drop_database().await;
}

/// A client that sends its headers and then trickles its body holds its request no longer
/// than `http.request_timeout_secs`: it is answered 503 with `Retry-After` while it is
/// still sending, in each door's shape.
#[tokio::test]
async fn a_client_that_trickles_its_body_is_answered_at_the_request_timeout() {
    let t = danvan_testing::TestDatabase::sqlite().await;
    danvan_server::demo::load(&t.db).await.unwrap();
    let mut settings = Settings::default();
    settings.http.request_timeout_secs = 1;
    let app = TestApp::start_with(&t, &settings).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    for path in ["/graphql", "/api/v1/auth/login", "/auth/login"] {
        let stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let (mut reading, mut writing) = stream.into_split();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: danvan\r\nContent-Type: application/json\r\n\
             Content-Length: 1000\r\n\r\n{{"
        );
        writing.write_all(head.as_bytes()).await.unwrap();
        let trickling = tokio::spawn(async move {
            // A byte every 200 ms: 1,000 bytes would take over three minutes.
            while writing.write_all(b" ").await.is_ok() {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        let mut answer = vec![0; 4096];
        let read = bounded("the answer", reading.read(&mut answer))
            .await
            .unwrap();
        trickling.abort();
        let answer = String::from_utf8_lossy(&answer[..read]).into_owned();
        assert!(answer.starts_with("HTTP/1.1 503"), "{path}: {answer}");
        assert!(
            answer.to_ascii_lowercase().contains("retry-after: 5"),
            "{path}: {answer}"
        );
        assert!(answer.contains("SERVICE_UNAVAILABLE"), "{path}: {answer}");
    }
    app.stop().await;
    t.drop_database().await;
}
