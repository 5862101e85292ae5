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
    danvan_server::demo::load(&t.db).await.unwrap();
    let mut settings = danvan_server::Settings::default();
    settings.api.view_flush_ms = 50;
    let app = TestApp::start_delivering(&t, &settings).await;
    for _ in 0..2 {
        assert_eq!(app.get("/healthz").await.status(), 200);
        let kept = app
            .get("/graphql?query=query%20Sites%20%7B%20sites%20%7B%20nodes%20%7B%20id%20name%20%7D%20%7D%20%7D&operationName=Sites")
            .await;
        assert_eq!(kept.status(), 200);
    }
    let list: serde_json::Value = app
        .get("/api/v1/articles?limit=1")
        .await
        .json()
        .await
        .unwrap();
    let article = list["items"][0]["id"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        let counted = app
            .client
            .post(app.url(&format!("/api/v1/articles/{article}/views")))
            .send()
            .await
            .unwrap();
        assert_eq!(counted.status(), 202);
    }
    let scrape = || async {
        let metrics = app.get("/metrics").await;
        assert_eq!(metrics.status(), 200);
        assert!(
            metrics.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/openmetrics-text")
        );
        metrics.text().await.unwrap()
    };
    // The views are written within a flush or two.
    let mut text = scrape().await;
    for _ in 0..100 {
        if text.contains("danvan_views_written_total 3") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        text = scrape().await;
    }
    for line in [
        "danvan_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2",
        "danvan_http_requests_total{route=\"/graphql\",method=\"GET\",status=\"200\"} 2",
        "danvan_graphql_operations_total{operation=\"Sites\",status=\"200\"} 2",
        "danvan_graphql_operation_duration_seconds_count{operation=\"Sites\"} 2",
        "danvan_graphql_kept_answers_total{result=\"miss\"} 1",
        "danvan_graphql_kept_answers_total{result=\"hit\"} 1",
        "danvan_graphql_kept_answers_purged_total 0",
        "danvan_http_request_duration_seconds_count{route=\"/healthz\"} 2",
        "danvan_db_pool_connections{pool=\"primary\",state=\"idle\"}",
        "danvan_subscription_sockets 0",
        "danvan_subscriptions 0",
        "danvan_webhook_deliveries_pending 0",
        "danvan_views_counted_total 3",
        "danvan_rest_kept_answers_misses_total 1",
        "danvan_rest_kept_answers_purged_total 0",
        "danvan_db_pool_wait_seconds{pool=\"primary\"}",
        "danvan_views_written_total 3",
        "danvan_view_flushes_total 1",
        "danvan_view_flush_failures_total 0",
    ] {
        assert!(text.contains(line), "{line} in:\n{text}");
    }
    assert!(text.ends_with("# EOF\n"), "{text}");
    assert_eq!(text.matches("# EOF").count(), 1);
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    metrics_count_requests_by_route,
    readyz_answers_when_the_database_does,
    readyz_fails_when_the_database_is_gone,
);
