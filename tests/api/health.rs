use crate::helpers::TestApp;
use danvan_testing::TestDatabase;

async fn readyz_answers_when_the_database_does(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<serde_json::Value>().await.unwrap()["status"],
        "ready"
    );
    let alive = app.get("/healthz").await;
    assert_eq!(alive.status(), 200);
    app.stop().await;
    t
}

async fn readyz_fails_when_the_database_is_gone(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    t.db.clone().close().await.unwrap();
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 503);
    let alive = app.get("/healthz").await;
    assert_eq!(alive.status(), 200);
    app.stop().await;
    t
}

async fn metrics_count_requests_by_route(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    for _ in 0..2 {
        assert_eq!(app.get("/healthz").await.status(), 200);
        let kept = app
            .get("/graphql?query=%7B%20sites%20%7B%20nodes%20%7B%20id%20name%20%7D%20%7D%20%7D")
            .await;
        assert_eq!(kept.status(), 200);
    }
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status(), 200);
    assert!(
        metrics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = metrics.text().await.unwrap();
    for line in [
        "danvan_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2",
        "danvan_http_requests_total{route=\"/graphql\",method=\"GET\",status=\"200\"} 2",
        "danvan_graphql_kept_answers_total{result=\"miss\"} 1",
        "danvan_graphql_kept_answers_total{result=\"hit\"} 1",
        "danvan_http_request_duration_seconds_count{route=\"/healthz\"} 2",
        "danvan_db_pool_connections{pool=\"primary\",state=\"idle\"}",
        "danvan_subscription_sockets 0",
        "danvan_webhook_deliveries_pending 0",
    ] {
        assert!(text.contains(line), "{line} in:\n{text}");
    }
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    metrics_count_requests_by_route,
    readyz_answers_when_the_database_does,
    readyz_fails_when_the_database_is_gone,
);
