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

danvan_testing::on_both_backends!(
    readyz_answers_when_the_database_does,
    readyz_fails_when_the_database_is_gone,
);
