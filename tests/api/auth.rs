//! Signing in and out through the router: passwords, access tokens, refresh rotation and
//! reuse detection, and tokens that must be refused.

use crate::helpers::{PASSWORD, TestApp, account, error_code};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use danvan_auth::{SigningKey, TokenKeys};
use danvan_domain::account::Role;
use danvan_testing::TestDatabase;
use serde_json::{Value, json};

const ME: &str = "{ me { username role site { slug } } }";
const REFRESH: &str =
    "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }";

async fn refresh(app: &TestApp, token: &str) -> Value {
    app.graphql(REFRESH, json!({ "t": token })).await
}

async fn sign_in_refresh_rotation_and_reuse(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    account(&t.db, "bientap", Role::Editor, Some("dan-van-lam-son")).await;

    // Wrong password, unknown user: the same answer.
    for (user, password) in [("bientap", "sai mật khẩu rồi"), ("khongco", PASSWORD)] {
        let response = app
            .graphql(
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }",
                json!({ "u": user, "p": password }),
            )
            .await;
        assert_eq!(error_code(&response), "UNAUTHENTICATED", "{response}");
        assert_eq!(
            response["errors"][0]["message"],
            "the user name or the password is wrong"
        );
    }

    let (access, first_refresh) = app.login("BienTap", PASSWORD).await;
    let me = app.graphql_as(&access, ME, json!({})).await;
    assert_eq!(me["data"]["me"]["username"], "bientap", "{me}");
    assert_eq!(me["data"]["me"]["role"], "EDITOR");
    assert_eq!(me["data"]["me"]["site"]["slug"], "dan-van-lam-son");
    assert!(app.graphql(ME, json!({})).await["data"]["me"].is_null());

    // Rotation: each refresh token works once and gives the next.
    let rotated = refresh(&app, &first_refresh).await;
    let second_refresh = rotated["data"]["refreshSession"]["refreshToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{rotated}"))
        .to_owned();
    assert_ne!(second_refresh, first_refresh);
    let new_access = rotated["data"]["refreshSession"]["accessToken"]
        .as_str()
        .unwrap();
    let me = app.graphql_as(new_access, ME, json!({})).await;
    assert_eq!(me["data"]["me"]["username"], "bientap");

    // Reuse of a rotated token: refused, and the whole sign-in is revoked, so the token the
    // rightful holder got is refused too.
    let reused = refresh(&app, &first_refresh).await;
    assert_eq!(error_code(&reused), "UNAUTHENTICATED", "{reused}");
    let after_theft = refresh(&app, &second_refresh).await;
    assert_eq!(error_code(&after_theft), "UNAUTHENTICATED", "{after_theft}");

    // Another sign-in is unaffected by that, and logout ends it.
    let (_, third_refresh) = app.login("bientap", PASSWORD).await;
    let logout = app
        .graphql(
            "mutation($t: String!) { logout(refreshToken: $t) }",
            json!({ "t": third_refresh }),
        )
        .await;
    assert_eq!(logout["data"]["logout"], true, "{logout}");
    assert_eq!(
        error_code(&refresh(&app, &third_refresh).await),
        "UNAUTHENTICATED"
    );

    // The same over plain HTTP.
    let response = app
        .client
        .post(app.url("/auth/login"))
        .json(&json!({ "username": "bientap", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["account"]["role"], "editor");
    let response = app
        .client
        .post(app.url("/auth/refresh"))
        .json(&json!({ "refreshToken": body["refreshToken"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = app
        .client
        .post(app.url("/auth/login"))
        .json(&json!({ "username": "bientap", "password": "sai mật khẩu rồi" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "UNAUTHENTICATED");
    let response = app
        .client
        .post(app.url("/auth/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    app.stop().await;
    t
}

/// Keys like the server's: the one it made on its first start, read from the database.
async fn server_keys(
    db: &danvan_store::DatabaseConnection,
    secret_override: Option<u8>,
) -> TokenKeys {
    let stored = danvan_store::signing_key::all(db).await.unwrap();
    let key = &stored[0];
    let secret = match secret_override {
        Some(byte) => vec![byte; 32],
        None => STANDARD.decode(&key.secret).unwrap(),
    };
    TokenKeys::new(
        vec![SigningKey {
            kid: key.kid.clone(),
            secret,
        }],
        "danvan",
        "danvan-api",
        chrono::Duration::minutes(15),
    )
    .unwrap()
}

async fn me_with(app: &TestApp, token: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("authorization", format!("Bearer {token}"))
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn bad_tokens_are_refused(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let editor = account(&t.db, "bientap", Role::Editor, Some("dan-van-lam-son")).await;
    let keys = server_keys(&t.db, None).await;

    // A token the server's own key signed is accepted: the checks below are about the token.
    let good = keys.issue(editor.id, chrono::Utc::now()).unwrap().token;
    let (status, body) = me_with(&app, &good).await;
    assert_eq!(
        (status, &body["data"]["me"]["username"]),
        (200, &json!("bientap"))
    );

    let expired = keys
        .issue(editor.id, chrono::Utc::now() - chrono::Duration::hours(1))
        .unwrap()
        .token;
    let forged = server_keys(&t.db, Some(7))
        .await
        .issue(editor.id, chrono::Utc::now())
        .unwrap()
        .token;
    let parts: Vec<&str> = good.split('.').collect();
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let admin_payload = URL_SAFE_NO_PAD
        .encode(payload.replace(&format!("\"sub\":\"{}\"", editor.id), "\"sub\":\"999\""));
    let tampered = format!("{}.{admin_payload}.{}", parts[0], parts[2]);
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let unsigned = format!("{header}.{}.", parts[1]);
    for (what, token) in [
        ("expired", expired.as_str()),
        ("signed with another key", forged.as_str()),
        ("tampered", tampered.as_str()),
        ("alg none", unsigned.as_str()),
        ("garbage", "abc.def.ghi"),
    ] {
        let (status, body) = me_with(&app, token).await;
        assert_eq!(status, 401, "{what}: {body}");
        // A GraphQL response, so that GraphQL clients show the message.
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{what}: {body}"
        );
        assert!(body.get("data").is_none(), "{what}: {body}");
    }
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("authorization", "Basic Ymllbjp0YXA=")
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    // A disabled account's tokens stop working at once.
    danvan_store::account::set_disabled(&t.db, editor.id, true)
        .await
        .unwrap();
    let (status, _) = me_with(&app, &good).await;
    assert_eq!(status, 401);
    app.stop().await;
    t
}

const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }";

async fn failed_sign_ins_lock_the_account_for_longer_each_time(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    account(&t.db, "bientap", Role::Editor, Some("dan-van-lam-son")).await;
    account(&t.db, "phongvien", Role::Reporter, Some("dan-van-lam-son")).await;
    let sign_in = |user: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.graphql(LOGIN, json!({ "u": user, "p": password }))
                .await
        }
    };
    for _ in 0..6 {
        let wrong = sign_in("bientap", "mật khẩu sai").await;
        assert_eq!(error_code(&wrong), "UNAUTHENTICATED", "{wrong}");
    }
    // The sixth failure locked the account for a second: the right password waits too, at
    // every door.
    let locked = sign_in("bientap", PASSWORD).await;
    assert_eq!(error_code(&locked), "RATE_LIMITED", "{locked}");
    assert_eq!(
        locked["errors"][0]["extensions"]["retryAfter"], 1,
        "{locked}"
    );
    assert!(
        locked["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("try again in 1 s"),
        "{locked}"
    );
    let json_api = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "username": "BienTap", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(json_api.status(), 429);
    assert_eq!(json_api.headers()["retry-after"], "1");
    let problem: Value = json_api.json().await.unwrap();
    assert_eq!(problem["code"], "RATE_LIMITED", "{problem}");
    // Another account from the same address is not locked.
    let other = sign_in("phongvien", PASSWORD).await;
    assert!(other["errors"].is_null(), "{other}");

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let signed_in = sign_in("bientap", PASSWORD).await;
    assert!(signed_in["errors"].is_null(), "{signed_in}");
    // A success forgets the failures: five more are allowed again.
    for _ in 0..5 {
        let wrong = sign_in("bientap", "mật khẩu sai").await;
        assert_eq!(error_code(&wrong), "UNAUTHENTICATED", "{wrong}");
    }
    assert!(sign_in("bientap", PASSWORD).await["errors"].is_null());
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    sign_in_refresh_rotation_and_reuse,
    bad_tokens_are_refused,
    failed_sign_ins_lock_the_account_for_longer_each_time,
);
