//! Every mutation and every non-public query against every kind of caller, through the
//! router: an admin, an editor of the site, an editor of another site, a reporter of the
//! site, a partner with the embargo on the site, and the public.

use crate::helpers::{TestApp, error_code};
use crate::newsroom::{Newsroom, draft, newsroom};
use danvan_server::Settings;
use danvan_testing::TestDatabase;
use serde_json::{Value, json};

/// What one caller gets: `Y` allowed, `F` FORBIDDEN, `U` UNAUTHENTICATED, `H` NOT_FOUND
/// (the caller may not know the thing exists).
const CALLERS: [&str; 6] = [
    "admin",
    "editor of the site",
    "editor of another site",
    "reporter of the site",
    "partner",
    "public",
];

struct Case {
    name: &'static str,
    query: &'static str,
    expected: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "createSite",
        query: r#"mutation { createSite(input: { slug: "moi", name: "Cổng mới" }) { id } }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "updateSite",
        query: r#"mutation($site: ID!) { updateSite(id: $site, version: 1, input: { name: "Ban Dân vận" }) { id } }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "createAccount",
        query: r#"mutation($user: String!) { createAccount(input: { username: $user, displayName: "Lê Trang", password: "mật khẩu dài đủ", role: REPORTER, site: "dan-van-lam-son" }) { id } }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "setAccountRole",
        query: r#"mutation($account: ID!) { setAccountRole(id: $account, role: EDITOR, site: "dan-van-lam-son") { id } }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "setAccountDisabled",
        query: r#"mutation($account: ID!) { setAccountDisabled(id: $account, disabled: true) { id } }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "createApiKey",
        query: r#"mutation { createApiKey(name: "Báo Lam Sơn", scopes: [READ]) { key } }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "revokeApiKey",
        query: r#"mutation($key: ID!) { revokeApiKey(id: $key) }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "createTag",
        query: r#"mutation($name: String!) { createTag(name: $name) { id } }"#,
        expected: "YYYFFU",
    },
    Case {
        name: "updateTag",
        query: r#"mutation($tag: ID!) { updateTag(id: $tag, version: 1, name: "Dân vận khéo!") { id } }"#,
        expected: "YYYFFU",
    },
    Case {
        name: "deleteTag",
        query: r#"mutation($tag: ID!) { deleteTag(id: $tag, version: 1) { id } }"#,
        expected: "YYYFFU",
    },
    Case {
        name: "createCategory",
        query: r#"mutation($name: String!) { createCategory(site: "dan-van-lam-son", name: $name) { id } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "updateCategory",
        query: r#"mutation($category: ID!) { updateCategory(id: $category, version: 1, name: "Chuyên mục mới") { id } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "createArticle",
        query: r#"mutation { createArticle(site: "dan-van-lam-son", input: { title: "Tin mới", body: "<p>Nội dung</p>" }) { id } }"#,
        expected: "YYFYFU",
    },
    Case {
        name: "updateArticle",
        query: r#"mutation($draft: ID!) { updateArticle(id: $draft, version: 1, input: { lead: "Sapo" }) { id } }"#,
        expected: "YYHYHH",
    },
    Case {
        name: "submitArticle",
        query: r#"mutation($draft: ID!) { submitArticle(id: $draft, version: 1) { id } }"#,
        expected: "YYHYHH",
    },
    Case {
        name: "returnArticleToDraft",
        query: r#"mutation($inReview: ID!) { returnArticleToDraft(id: $inReview, version: 2) { id } }"#,
        expected: "YYHYHH",
    },
    Case {
        name: "publishArticle",
        query: r#"mutation($draft: ID!) { publishArticle(id: $draft, version: 1) { id } }"#,
        expected: "YYHFHH",
    },
    Case {
        name: "archiveArticle",
        query: r#"mutation($published: ID!) { archiveArticle(id: $published, version: 2) { id } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "deleteArticle",
        query: r#"mutation($draft: ID!) { deleteArticle(id: $draft, version: 1) { id } }"#,
        expected: "YYHYHH",
    },
    Case {
        name: "restoreArticle",
        query: r#"mutation($deleted: ID!) { restoreArticle(id: $deleted) { id } }"#,
        expected: "YYHYHH",
    },
    Case {
        name: "restoreArticleRevision",
        query: r#"mutation($revised: ID!) { restoreArticleRevision(id: $revised, version: 2, number: 1) { id } }"#,
        expected: "YYHYHH",
    },
    Case {
        name: "postComment",
        query: r#"mutation($published: ID!) { postComment(article: $published, authorName: "Bạn đọc", body: "Rất hay") { id } }"#,
        expected: "YYYYYY",
    },
    Case {
        name: "moderateComment",
        query: r#"mutation($comment: ID!) { moderateComment(id: $comment, status: APPROVED) { id } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "previewImport",
        query: r#"mutation { previewImport(page: "Hội nghị sơ kết\n\nSáng 12/3, Ban Dân vận tổ chức hội nghị.") { title } }"#,
        expected: "YYYYFU",
    },
    Case {
        name: "logout",
        query: r#"mutation { logout(refreshToken: "dvr_unknown") }"#,
        expected: "YYYYYY",
    },
    Case {
        name: "auditLog",
        query: r#"{ auditLog { totalCount } }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "accounts",
        query: r#"{ accounts { totalCount } }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "newsroomArticles",
        query: r#"{ newsroomArticles(site: "dan-van-lam-son", status: DRAFT) { totalCount } }"#,
        expected: "YYFYFU",
    },
    Case {
        name: "articleRevisions",
        query: r#"query($revised: ID!) { articleRevisions(id: $revised) { number } }"#,
        expected: "YYHYHH",
    },
    Case {
        name: "siteComments",
        query: r#"{ siteComments(site: "dan-van-lam-son") { totalCount } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "embargoedArticles",
        query: r#"{ embargoedArticles(site: "dan-van-lam-son") { totalCount } }"#,
        expected: "YYFFYU",
    },
];

fn id_of(response: &Value, field: &str) -> String {
    response["data"][field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{field}: {response}"))
        .to_owned()
}

/// Fresh things for one attempt, so that what one caller did does not decide what the
/// next one gets: each variable of the queries above.
async fn fixtures(app: &TestApp, n: &Newsroom, round: usize) -> Value {
    let admin = &n.admin;
    let (draft_id, _) = draft(app, &n.reporter, &format!("Bản nháp {round}")).await;
    let (in_review, _) = draft(app, &n.reporter, &format!("Chờ duyệt {round}")).await;
    app.graphql_as(
        &n.reporter,
        "mutation($id: ID!) { submitArticle(id: $id, version: 1) { id } }",
        json!({ "id": in_review }),
    )
    .await;
    let (published, _) = draft(app, admin, &format!("Đã đăng {round}")).await;
    app.graphql_as(
        admin,
        "mutation($id: ID!) { publishArticle(id: $id, version: 1) { id } }",
        json!({ "id": published }),
    )
    .await;
    let (deleted, _) = draft(app, &n.reporter, &format!("Đã xóa {round}")).await;
    app.graphql_as(
        admin,
        "mutation($id: ID!) { deleteArticle(id: $id, version: 1) { id } }",
        json!({ "id": deleted }),
    )
    .await;
    let (revised, _) = draft(app, &n.reporter, &format!("Đã sửa {round}")).await;
    app.graphql_as(
        admin,
        "mutation($id: ID!) { updateArticle(id: $id, version: 1, input: { lead: \"Sapo\" }) { id } }",
        json!({ "id": revised }),
    )
    .await;
    let comment = app
        .graphql(
            "mutation($a: ID!) { postComment(article: $a, authorName: \"Bạn đọc\", body: \"Chờ duyệt\") { id } }",
            json!({ "a": published }),
        )
        .await;
    let tag = app
        .graphql_as(
            admin,
            "mutation($n: String!) { createTag(name: $n) { id } }",
            json!({ "n": format!("Thẻ {round}") }),
        )
        .await;
    let category = app
        .graphql_as(
            admin,
            "mutation($n: String!) { createCategory(site: \"dan-van-lam-son\", name: $n) { id } }",
            json!({ "n": format!("Chuyên mục {round}") }),
        )
        .await;
    let site = app
        .graphql_as(
            admin,
            "mutation($s: String!) { createSite(input: { slug: $s, name: \"Cổng thử\" }) { id } }",
            json!({ "s": format!("cong-thu-{round}") }),
        )
        .await;
    let account = app
        .graphql_as(
            admin,
            "mutation($u: String!) { createAccount(input: { username: $u, displayName: \"Đức Tình\", password: \"mật khẩu dài đủ\", role: REPORTER, site: \"dan-van-lam-son\" }) { id } }",
            json!({ "u": format!("thu{round}") }),
        )
        .await;
    let key = app
        .graphql_as(
            admin,
            "mutation { createApiKey(name: \"Đối tác\", scopes: [READ]) { id } }",
            json!({}),
        )
        .await;
    let organisation = |name: String| {
        app.graphql_as(
            admin,
            "mutation($n: String!) { createOrganisation(input: { name: $n, kind: PARTY_BOARD, level: DISTRICT }) { id } }",
            json!({ "n": name }),
        )
    };
    let person = |name: String| {
        app.graphql_as(
            admin,
            "mutation($n: String!) { createPerson(input: { fullName: $n }) { id } }",
            json!({ "n": name }),
        )
    };
    let live_organisation = id_of(
        &organisation(format!("Ban Dân vận xã {round}")).await,
        "createOrganisation",
    );
    let deleted_organisation = id_of(
        &organisation(format!("Ban đã giải thể {round}")).await,
        "createOrganisation",
    );
    app.graphql_as(
        admin,
        "mutation($id: ID!) { deleteOrganisation(id: $id, version: 1) { id } }",
        json!({ "id": deleted_organisation }),
    )
    .await;
    let live_person = id_of(
        &person(format!("Nguyễn Văn An {round}")).await,
        "createPerson",
    );
    let deleted_person = id_of(
        &person(format!("Lê Thị Bình {round}")).await,
        "createPerson",
    );
    app.graphql_as(
        admin,
        "mutation($id: ID!) { deletePerson(id: $id, version: 1) { id } }",
        json!({ "id": deleted_person }),
    )
    .await;
    json!({
        "organisation": live_organisation,
        "deletedOrganisation": deleted_organisation,
        "person": live_person,
        "deletedPerson": deleted_person,
        "draft": draft_id,
        "inReview": in_review,
        "published": published,
        "deleted": deleted,
        "revised": revised,
        "comment": id_of(&comment, "postComment"),
        "tag": id_of(&tag, "createTag"),
        "category": id_of(&category, "createCategory"),
        "site": id_of(&site, "createSite"),
        "account": id_of(&account, "createAccount"),
        "key": id_of(&key, "createApiKey"),
        "name": format!("Tên {round}"),
        "user": format!("moi{round}"),
    })
}

/// Only the variables a query declares: GraphQL refuses undeclared ones.
fn declared(query: &str, all: &Value) -> Value {
    let mut used = serde_json::Map::new();
    for (name, value) in all.as_object().unwrap() {
        if query.contains(&format!("${name}:")) {
            used.insert(name.clone(), value.clone());
        }
    }
    Value::Object(used)
}

fn outcome(response: &Value) -> char {
    if response["errors"].is_null() {
        return 'Y';
    }
    match error_code(response) {
        "FORBIDDEN" => 'F',
        "UNAUTHENTICATED" => 'U',
        "NOT_FOUND" => 'H',
        other => panic!("unexpected {other}: {response}"),
    }
}

async fn every_operation_against_every_caller(t: TestDatabase) -> TestDatabase {
    let mut settings = Settings::default();
    // Every attempt comes from 127.0.0.1; the comment limit has its own test.
    settings.auth.comments_per_window = 100_000;
    danvan_server::demo::load(&t.db).await.unwrap();
    let app = TestApp::start_with(&t, &settings).await;
    let n = newsroom(&t, &app).await;
    let partner = app
        .graphql_as(
            &n.admin,
            "mutation { createApiKey(name: \"Báo Lam Sơn điện tử\", scopes: [READ, EMBARGOED], site: \"dan-van-lam-son\") { key } }",
            json!({}),
        )
        .await;
    let partner_key = partner["data"]["createApiKey"]["key"]
        .as_str()
        .unwrap_or_else(|| panic!("{partner}"))
        .to_owned();
    let credentials = [
        Some(("authorization", format!("Bearer {}", n.admin))),
        Some(("authorization", format!("Bearer {}", n.editor))),
        Some(("authorization", format!("Bearer {}", n.other_editor))),
        Some(("authorization", format!("Bearer {}", n.reporter))),
        Some(("x-api-key", partner_key)),
        None,
    ];
    let mut round = 0;
    let mut wrong = Vec::new();
    for case in CASES {
        for (who, header) in credentials.iter().enumerate() {
            round += 1;
            let variables = fixtures(&app, &n, round).await;
            let response = app
                .graphql_with(header.clone(), case.query, declared(case.query, &variables))
                .await;
            let got = outcome(&response);
            let expected = case.expected.chars().nth(who).unwrap();
            if got != expected {
                wrong.push(format!(
                    "{} as {}: expected {expected}, got {got}: {response}",
                    case.name, CALLERS[who]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(every_operation_against_every_caller);
