//! The editorial workflow through the router: writing, sanitising, review, scheduled
//! publishing, revisions and restore, stale updates, deletion, comments and the audit log.

use crate::helpers::{PASSWORD, TestApp, account, error_code};
use danvan_domain::account::Role;
use danvan_server::Settings;
use danvan_testing::TestDatabase;
use serde_json::{Value, json};

pub const CREATE: &str = "mutation($site: String!, $input: ArticleInput!) {
  createArticle(site: $site, input: $input) { id version status slug title body bodyFormat bodyText }
}";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $input: ArticleInput!) {
  updateArticle(id: $id, version: $v, input: $input) { id version title }
}";
const SUBMIT: &str =
    "mutation($id: ID!, $v: Int!) { submitArticle(id: $id, version: $v) { version status } }";
const PUBLISH: &str = "mutation($id: ID!, $v: Int!, $at: DateTime) {
  publishArticle(id: $id, version: $v, at: $at) { version status publishedAt scheduledFor }
}";
const ARCHIVE: &str =
    "mutation($id: ID!, $v: Int!) { archiveArticle(id: $id, version: $v) { version status } }";
const PUBLIC: &str = "query($id: ID!) { article(id: $id) { title } }";
const NEWSROOM: &str =
    "query($id: ID!) { newsroomArticle(id: $id) { title status version scheduledFor deletedAt } }";

pub struct Newsroom {
    pub admin: String,
    pub editor: String,
    pub other_editor: String,
    pub reporter: String,
    /// The organisation that runs "dan-van-lam-son" (its Ban Dân vận), whose editor
    /// speaks for it and the organisations below it.
    pub home: String,
}

/// The demo data, and an admin, an editor and a reporter of "dan-van-lam-son", and an
/// editor of "phu-thinh", signed in.
pub async fn newsroom(t: &TestDatabase, app: &TestApp) -> Newsroom {
    account(&t.db, "quantri", Role::Admin, None).await;
    account(&t.db, "bientap", Role::Editor, Some("dan-van-lam-son")).await;
    account(&t.db, "bientap.phuthinh", Role::Editor, Some("phu-thinh")).await;
    account(&t.db, "phongvien", Role::Reporter, Some("dan-van-lam-son")).await;
    Newsroom {
        admin: app.login("quantri", PASSWORD).await.0,
        editor: app.login("bientap", PASSWORD).await.0,
        other_editor: app.login("bientap.phuthinh", PASSWORD).await.0,
        reporter: app.login("phongvien", PASSWORD).await.0,
        home: home(app).await,
    }
}

/// The id of the organisation that runs "dan-van-lam-son".
pub async fn home(app: &TestApp) -> String {
    let site = app
        .graphql(
            "{ site(slug: \"dan-van-lam-son\") { organisation { id } } }",
            json!({}),
        )
        .await;
    site["data"]["site"]["organisation"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{site}"))
        .to_owned()
}

fn ok<'a>(response: &'a Value, field: &str) -> &'a Value {
    assert!(response["errors"].is_null(), "{response}");
    &response["data"][field]
}

/// A draft written by `token` in "dan-van-lam-son": (id, version).
pub async fn draft(app: &TestApp, token: &str, title: &str) -> (String, i64) {
    let response = app
        .graphql_as(
            token,
            CREATE,
            json!({ "site": "dan-van-lam-son", "input": {
                "title": title,
                "body": "<p>Sáng 12/3, Ban Dân vận Huyện ủy tổ chức hội nghị.</p>",
            }}),
        )
        .await;
    let article = ok(&response, "createArticle");
    (
        article["id"].as_str().unwrap().to_owned(),
        article["version"].as_i64().unwrap(),
    )
}

async fn writing_review_and_scheduled_publishing(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;

    // A reporter writes; the body is sanitised, the text keeps its diacritics.
    let response = app
        .graphql_as(
            &n.reporter,
            CREATE,
            json!({ "site": "dan-van-lam-son", "input": {
                "title": "Huyện ủy Gia Viễn sơ kết công tác dân vận",
                "body": "<p onclick=\"steal()\">Hội nghị <b>sơ kết</b></p><script>alert(1)</script><a href=\"javascript:alert(1)\">xem</a>",
                "authors": [{ "name": "Phương Nhung" }],
            }}),
        )
        .await;
    let article = ok(&response, "createArticle");
    let id = article["id"].as_str().unwrap().to_owned();
    assert_eq!(article["status"], "DRAFT");
    assert_eq!(article["version"], 1);
    assert_eq!(article["slug"], "huyen-uy-gia-vien-so-ket-cong-tac-dan-van");
    assert_eq!(article["bodyFormat"], "HTML");
    let body = article["body"].as_str().unwrap();
    assert!(
        !body.contains("script") && !body.contains("onclick") && !body.contains("javascript"),
        "{body}"
    );
    assert!(body.contains("<b>sơ kết</b>"), "{body}");
    assert_eq!(article["bodyText"], "Hội nghị sơ kết\n\nxem");
    // Titles and names are plain text: a tag in one is refused, not stored.
    let tagged = app
        .graphql_as(
            &n.reporter,
            CREATE,
            json!({ "site": "dan-van-lam-son", "input": {
                "title": "Hội nghị <img src=x onerror=alert(1)>",
                "body": "<p>Nội dung</p>",
            }}),
        )
        .await;
    assert_eq!(error_code(&tagged), "BAD_USER_INPUT", "{tagged}");
    let tagged = app
        .graphql_as(
            &n.editor,
            "mutation { createPerson(input: { fullName: \"<b>Trần Văn Bình</b>\" }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&tagged), "BAD_USER_INPUT", "{tagged}");

    // Not public while a draft, nor in review.
    assert!(app.graphql(PUBLIC, json!({ "id": id })).await["data"]["article"].is_null());
    let submitted = app
        .graphql_as(&n.reporter, SUBMIT, json!({ "id": id, "v": 1 }))
        .await;
    assert_eq!(ok(&submitted, "submitArticle")["status"], "IN_REVIEW");
    // The reporter cannot change it in review, nor publish it.
    let edit = app
        .graphql_as(
            &n.reporter,
            UPDATE,
            json!({ "id": id, "v": 2, "input": { "title": "Sửa" } }),
        )
        .await;
    assert_eq!(error_code(&edit), "FORBIDDEN", "{edit}");
    let publish = app
        .graphql_as(&n.reporter, PUBLISH, json!({ "id": id, "v": 2 }))
        .await;
    assert_eq!(error_code(&publish), "FORBIDDEN", "{publish}");
    // A transition the workflow does not have.
    let again = app
        .graphql_as(&n.editor, SUBMIT, json!({ "id": id, "v": 2 }))
        .await;
    assert_eq!(error_code(&again), "CONFLICT", "{again}");

    // The editor schedules it two seconds ahead: not public yet, public by itself after.
    let at = (chrono::Utc::now() + chrono::Duration::seconds(2))
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    let scheduled = app
        .graphql_as(
            &n.editor,
            PUBLISH,
            json!({ "id": id, "v": 2, "at": at.to_rfc3339() }),
        )
        .await;
    let scheduled = ok(&scheduled, "publishArticle");
    assert_eq!(scheduled["status"], "PUBLISHED");
    assert!(scheduled["scheduledFor"].is_string(), "{scheduled}");
    assert!(app.graphql(PUBLIC, json!({ "id": id })).await["data"]["article"].is_null());
    let seen = app
        .graphql_as(&n.editor, NEWSROOM, json!({ "id": id }))
        .await;
    assert!(ok(&seen, "newsroomArticle")["scheduledFor"].is_string());
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let public = app.graphql(PUBLIC, json!({ "id": id })).await;
    assert_eq!(
        ok(&public, "article")["title"],
        "Huyện ủy Gia Viễn sơ kết công tác dân vận"
    );
    let listed = app
        .graphql("{ articles(first: 1) { nodes { id } } }", json!({}))
        .await;
    assert_eq!(
        listed["data"]["articles"]["nodes"][0]["id"],
        json!(id),
        "{listed}"
    );

    // Archived: off the site. The editor of another site cannot touch it.
    let other = app
        .graphql_as(&n.other_editor, ARCHIVE, json!({ "id": id, "v": 3 }))
        .await;
    assert_eq!(error_code(&other), "FORBIDDEN", "{other}");
    let archived = app
        .graphql_as(&n.editor, ARCHIVE, json!({ "id": id, "v": 3 }))
        .await;
    assert_eq!(ok(&archived, "archiveArticle")["status"], "ARCHIVED");
    assert!(app.graphql(PUBLIC, json!({ "id": id })).await["data"]["article"].is_null());
    app.stop().await;
    t
}

async fn revisions_restore_deletion_and_stale_updates(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let (id, version) = draft(&app, &n.editor, "Hội nghị giao ban công tác dân vận quý I").await;

    let first = app
        .graphql_as(
            &n.editor,
            UPDATE,
            json!({ "id": id, "v": version, "input": {
                "title": "Hội nghị giao ban công tác dân vận quý I năm 2024",
            }}),
        )
        .await;
    assert_eq!(ok(&first, "updateArticle")["version"], 2);

    // Someone who read version 1 saves late: refused, nothing overwritten.
    let stale = app
        .graphql_as(
            &n.admin,
            UPDATE,
            json!({ "id": id, "v": version, "input": {
                "title": "Tiêu đề cũ ghi đè",
            }}),
        )
        .await;
    assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
    let now = app
        .graphql_as(&n.editor, NEWSROOM, json!({ "id": id }))
        .await;
    assert_eq!(
        ok(&now, "newsroomArticle")["title"],
        "Hội nghị giao ban công tác dân vận quý I năm 2024"
    );

    // The revision says who changed what, and when.
    let revisions = app
        .graphql_as(
            &n.editor,
            "query($id: ID!) { articleRevisions(id: $id) { number reason actor changed createdAt snapshot } }",
            json!({ "id": id }),
        )
        .await;
    let revisions = ok(&revisions, "articleRevisions");
    assert_eq!(revisions.as_array().unwrap().len(), 1, "{revisions}");
    assert_eq!(revisions[0]["number"], 1);
    assert_eq!(revisions[0]["reason"], "update");
    assert!(
        revisions[0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("account:")
    );
    assert_eq!(revisions[0]["changed"], json!(["title"]));
    assert_eq!(
        revisions[0]["snapshot"]["title"],
        "Hội nghị giao ban công tác dân vận quý I"
    );

    // Restoring revision 1 brings the old title back, as a change of its own.
    let restored = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!) { restoreArticleRevision(id: $id, version: 2, number: 1) { title version } }",
            json!({ "id": id }),
        )
        .await;
    let restored = ok(&restored, "restoreArticleRevision");
    assert_eq!(
        restored["title"],
        "Hội nghị giao ban công tác dân vận quý I"
    );
    assert_eq!(restored["version"], 3);

    // Published, then deleted: gone from the public; restored: back.
    let published = app
        .graphql_as(&n.editor, PUBLISH, json!({ "id": id, "v": 3 }))
        .await;
    assert_eq!(ok(&published, "publishArticle")["version"], 4);
    assert!(app.graphql(PUBLIC, json!({ "id": id })).await["data"]["article"].is_object());
    let deleted = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!) { deleteArticle(id: $id, version: 4) { deletedAt } }",
            json!({ "id": id }),
        )
        .await;
    assert!(ok(&deleted, "deleteArticle")["deletedAt"].is_string());
    assert!(app.graphql(PUBLIC, json!({ "id": id })).await["data"]["article"].is_null());
    let found = app
        .graphql(
            "{ search(query: \"giao ban quý I\") { edges { node { ... on Article { id } } } } }",
            json!({}),
        )
        .await;
    assert!(!found.to_string().contains(&id), "{found}");
    let edit_deleted = app
        .graphql_as(
            &n.editor,
            UPDATE,
            json!({ "id": id, "v": 5, "input": { "title": "Sửa" } }),
        )
        .await;
    assert_eq!(error_code(&edit_deleted), "CONFLICT", "{edit_deleted}");
    let back = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!) { restoreArticle(id: $id) { deletedAt version } }",
            json!({ "id": id }),
        )
        .await;
    assert!(ok(&back, "restoreArticle")["deletedAt"].is_null());
    assert!(app.graphql(PUBLIC, json!({ "id": id })).await["data"]["article"].is_object());
    app.stop().await;
    t
}

const POST: &str = "mutation($a: ID!, $name: String!, $body: String!) {
  postComment(article: $a, authorName: $name, body: $body) { id status body }
}";

async fn comments_wait_for_moderation(t: TestDatabase) -> TestDatabase {
    let mut settings = Settings::default();
    settings.auth.comments_per_window = 3;
    let app = TestApp::start_with(&t, &settings).await;
    danvan_server::demo::load(&t.db).await.unwrap();
    let n = newsroom(&t, &app).await;
    let (id, version) = draft(&app, &n.editor, "Mô hình Dân vận khéo ở xã Gia Minh").await;
    // Not on a draft.
    let early = app
        .graphql(
            POST,
            json!({ "a": id, "name": "Bạn đọc", "body": "Hay quá" }),
        )
        .await;
    assert_eq!(error_code(&early), "NOT_FOUND", "{early}");
    app.graphql_as(&n.editor, PUBLISH, json!({ "id": id, "v": version }))
        .await;

    // 501 characters, each "ệ" two bytes or more: too long; 500: fine.
    let long = app
        .graphql(
            POST,
            json!({ "a": id, "name": "Bạn đọc", "body": "ệ".repeat(501) }),
        )
        .await;
    assert_eq!(error_code(&long), "BAD_USER_INPUT", "{long}");
    let markup = app
        .graphql(
            POST,
            json!({ "a": id, "name": "Bạn đọc", "body": "<script>alert(1)</script>" }),
        )
        .await;
    assert_eq!(error_code(&markup), "BAD_USER_INPUT", "{markup}");
    let posted = app
        .graphql(
            POST,
            json!({ "a": id, "name": "Nguyễn Văn Ánh", "body": "ệ".repeat(500) }),
        )
        .await;
    let comment = ok(&posted, "postComment");
    assert_eq!(comment["status"], "PENDING");
    let comment_id = comment["id"].as_str().unwrap().to_owned();
    let rejected_one = app
        .graphql(
            POST,
            json!({ "a": id, "name": "Khách", "body": "Quảng cáo" }),
        )
        .await;
    let rejected_id = ok(&rejected_one, "postComment")["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let public_comments =
        "query($id: ID!) { article(id: $id) { comments { totalCount nodes { body } } } }";
    let shown = app.graphql(public_comments, json!({ "id": id })).await;
    assert_eq!(
        shown["data"]["article"]["comments"]["totalCount"], 0,
        "{shown}"
    );

    // The queue, and moderation by the site's editor only.
    let queue = app
        .graphql_as(
            &n.editor,
            "{ siteComments(site: \"dan-van-lam-son\") { totalCount nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(ok(&queue, "siteComments")["totalCount"], 2, "{queue}");
    let moderate = "mutation($id: ID!, $s: CommentStatus!) { moderateComment(id: $id, status: $s) { status } }";
    let stranger = app
        .graphql_as(
            &n.other_editor,
            moderate,
            json!({ "id": comment_id, "s": "APPROVED" }),
        )
        .await;
    assert_eq!(error_code(&stranger), "FORBIDDEN", "{stranger}");
    let approved = app
        .graphql_as(
            &n.editor,
            moderate,
            json!({ "id": comment_id, "s": "APPROVED" }),
        )
        .await;
    assert_eq!(ok(&approved, "moderateComment")["status"], "APPROVED");
    app.graphql_as(
        &n.editor,
        moderate,
        json!({ "id": rejected_id, "s": "REJECTED" }),
    )
    .await;
    let shown = app.graphql(public_comments, json!({ "id": id })).await;
    assert_eq!(
        shown["data"]["article"]["comments"]["totalCount"], 1,
        "{shown}"
    );
    assert_eq!(
        shown["data"]["article"]["comments"]["nodes"][0]["body"],
        json!("ệ".repeat(500))
    );

    // The fourth comment from one client within the window is refused.
    let limited = app
        .graphql(
            POST,
            json!({ "a": id, "name": "Bạn đọc", "body": "Lần thứ tư" }),
        )
        .await;
    let third = app
        .graphql(
            POST,
            json!({ "a": id, "name": "Bạn đọc", "body": "Lần thứ năm" }),
        )
        .await;
    assert!(limited["errors"].is_null(), "{limited}");
    assert_eq!(error_code(&third), "RATE_LIMITED", "{third}");
    let wait = third["errors"][0]["extensions"]["retryAfter"]
        .as_u64()
        .unwrap();
    assert!((1..=600).contains(&wait), "{third}");
    app.stop().await;
    t
}

async fn every_mutation_is_in_the_audit_log(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let (id, _) = draft(&app, &n.reporter, "Bài viết để kiểm tra nhật ký").await;
    let denied = app
        .graphql_as(&n.reporter, PUBLISH, json!({ "id": id, "v": 1 }))
        .await;
    assert_eq!(error_code(&denied), "FORBIDDEN");
    app.graphql(
        "mutation { login(username: \"quantri\", password: \"sai mật khẩu rồi\") { accessToken } }",
        json!({}),
    )
    .await;

    let log = "query($op: String) { auditLog(filter: { operation: $op }) { totalCount nodes { actor operation target outcome arguments client at } } }";
    let response = app.graphql_as(&n.reporter, log, json!({})).await;
    assert_eq!(
        error_code(&response),
        "FORBIDDEN",
        "only admins read the log"
    );
    let response = app
        .graphql_as(&n.admin, log, json!({ "op": "publishArticle" }))
        .await;
    let entries = ok(&response, "auditLog");
    assert_eq!(entries["totalCount"], 1, "{entries}");
    let entry = &entries["nodes"][0];
    assert_eq!(entry["outcome"], "FORBIDDEN");
    assert_eq!(entry["target"], json!(id));
    assert!(entry["actor"].as_str().unwrap().starts_with("account:"));
    assert_eq!(entry["client"], "127.0.0.1");
    assert_eq!(
        entry["arguments"]["v"],
        json!(null),
        "arguments are named as in the schema"
    );
    assert_eq!(entry["arguments"]["version"], 1);

    let response = app
        .graphql_as(&n.admin, log, json!({ "op": "createArticle" }))
        .await;
    let created = &ok(&response, "auditLog")["nodes"][0];
    assert_eq!(created["outcome"], "ok");
    assert_eq!(created["target"], json!(id));
    assert_eq!(
        created["arguments"]["input"]["title"],
        "Bài viết để kiểm tra nhật ký"
    );

    let response = app
        .graphql_as(&n.admin, log, json!({ "op": "login" }))
        .await;
    let logins = ok(&response, "auditLog");
    let failed = logins["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["outcome"] == "UNAUTHENTICATED")
        .unwrap_or_else(|| panic!("{logins}"));
    assert_eq!(failed["actor"], "public");
    assert_eq!(failed["arguments"]["password"], "[secret]");
    assert!(!logins.to_string().contains("sai mật khẩu"));
    app.stop().await;
    t
}

async fn the_directory_is_versioned_and_deleted_softly(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let created = app
        .graphql_as(
            &n.editor,
            "mutation($home: ID!) { createOrganisation(input: { name: \"Ban Dân vận Đảng ủy xã Gia Minh\", kind: PARTY_BOARD, level: COMMUNE, parent: $home }) { id version slug name } }",
            json!({ "home": n.home }),
        )
        .await;
    let organisation = ok(&created, "createOrganisation");
    assert_eq!(organisation["slug"], "ban-dan-van-dang-uy-xa-gia-minh");
    let id = organisation["id"].as_str().unwrap().to_owned();
    let update = "mutation($id: ID!, $v: Int!, $a: String!) { updateOrganisation(id: $id, version: $v, input: { abbreviation: $a }) { version abbreviation } }";
    let first = app
        .graphql_as(&n.editor, update, json!({ "id": id, "v": 1, "a": "BDV" }))
        .await;
    assert_eq!(ok(&first, "updateOrganisation")["version"], 2);
    let stale = app
        .graphql_as(&n.admin, update, json!({ "id": id, "v": 1, "a": "BDVX" }))
        .await;
    assert_eq!(error_code(&stale), "CONFLICT", "{stale}");

    let public = "query($id: ID!) { node(id: $id) { ... on Organisation { name } } }";
    assert!(app.graphql(public, json!({ "id": id })).await["data"]["node"].is_object());
    let deleted = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!) { deleteOrganisation(id: $id, version: 2) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(deleted["errors"].is_null(), "{deleted}");
    assert!(app.graphql(public, json!({ "id": id })).await["data"]["node"].is_null());
    let found = app
        .graphql(
            "{ search(query: \"Đảng ủy xã Gia Minh\", types: [ORGANISATION]) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(found["data"]["search"]["totalCount"], 0, "{found}");
    let restored = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!) { restoreOrganisation(id: $id) { version abbreviation } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(ok(&restored, "restoreOrganisation")["abbreviation"], "BDV");
    assert!(app.graphql(public, json!({ "id": id })).await["data"]["node"].is_object());
    let found = app
        .graphql(
            "{ search(query: \"Đảng ủy xã Gia Minh\", types: [ORGANISATION]) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(found["data"]["search"]["totalCount"], 1, "{found}");
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    the_directory_is_versioned_and_deleted_softly,
    writing_review_and_scheduled_publishing,
    revisions_restore_deletion_and_stale_updates,
    comments_wait_for_moderation,
    every_mutation_is_in_the_audit_log,
);
