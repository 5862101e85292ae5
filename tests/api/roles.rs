//! Every mutation and every non-public query against every kind of caller, through the
//! router: an admin, an editor of the site, an editor of another site, a reporter of the
//! site, a partner with the embargo on the site, and the public. Each attempt gets fresh
//! fixtures, built only for the variables its query declares; a further test checks that
//! every mutation of the schema has its row.

use crate::helpers::{TestApp, error_code};
use crate::newsroom::{Newsroom, draft, newsroom};
use danvan_server::Settings;
use danvan_testing::TestDatabase;
use serde_json::{Value, json};

/// What one caller gets: `Y` allowed, `F` FORBIDDEN, `U` UNAUTHENTICATED, `H` NOT_FOUND
/// (the caller may not know the thing exists), `N` nothing (a `null` answer, no error).
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
        name: "mergeOrganisations",
        query: r#"mutation($organisation: ID!, $otherOrganisation: ID!) { mergeOrganisations(from: $otherOrganisation, into: $organisation) { id } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "mergePeople",
        query: r#"mutation($person: ID!, $otherPerson: ID!) { mergePeople(from: $otherPerson, into: $person) { id } }"#,
        expected: "YYYFFU",
    },
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
        name: "deleteSite",
        query: r#"mutation($site: ID!) { deleteSite(id: $site, version: 1) { id } }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "restoreSite",
        query: r#"mutation($deletedSite: ID!) { restoreSite(id: $deletedSite) { id } }"#,
        expected: "YFFFFU",
    },
    Case {
        name: "addAdminUnitSuccession",
        query: r#"mutation($unit: ID!, $otherUnit: ID!) { addAdminUnitSuccession(predecessor: $unit, successor: $otherUnit, kind: MERGED, effectiveOn: "2025-07-01") { kind } }"#,
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
        name: "restoreTag",
        query: r#"mutation($deletedTag: ID!) { restoreTag(id: $deletedTag) { id } }"#,
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
        name: "deleteCategory",
        query: r#"mutation($category: ID!) { deleteCategory(id: $category, version: 1) { id } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "restoreCategory",
        query: r#"mutation($deletedCategory: ID!) { restoreCategory(id: $deletedCategory) { id } }"#,
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
        name: "createWebhook",
        query: r#"mutation { createWebhook(input: { url: "https://1.1.1.1/danvan-hook", events: ["article.published"], site: "dan-van-lam-son" }) { secret } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "uploadMedia",
        query: r#"mutation($file: Upload!) { uploadMedia(file: $file, site: "dan-van-lam-son") { created } }"#,
        expected: "YYFYFU",
    },
    Case {
        name: "describeMedia",
        query: r#"mutation($media: ID!) { describeMedia(id: $media, caption: "Quang cảnh hội nghị") { id } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "deleteMedia",
        query: r#"mutation($media: ID!) { deleteMedia(id: $media) { id } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "deleteWebhook",
        query: r#"mutation($webhook: ID!) { deleteWebhook(id: $webhook) { id } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "rotateWebhookSecret",
        query: r#"mutation($webhook: ID!) { rotateWebhookSecret(id: $webhook) { secret } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "enableWebhook",
        query: r#"mutation($webhook: ID!) { enableWebhook(id: $webhook) { id } }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "replayWebhook",
        query: r#"mutation($webhook: ID!) { replayWebhook(id: $webhook, since: "2026-01-01T00:00:00+07:00") }"#,
        expected: "YYFFFU",
    },
    Case {
        name: "countView",
        query: r#"mutation($published: ID!) { countView(article: $published) }"#,
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
        name: "login",
        query: r#"mutation($member: String!) { login(username: $member, password: "mật khẩu dài đủ") { accessToken } }"#,
        expected: "YYYYYY",
    },
    Case {
        name: "refreshSession",
        query: r#"mutation($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { accessToken } }"#,
        expected: "YYYYYY",
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
        name: "me",
        query: r#"{ me { username } }"#,
        expected: "YYYYNN",
    },
    Case {
        name: "newsroomArticle",
        query: r#"query($draft: ID!) { newsroomArticle(id: $draft) { title } }"#,
        expected: "YYNYNN",
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

/// The concepts written with `create{concept}(input:)`, `update{concept}(id:, version:,
/// input:)`, `delete{concept}(id:, version:)` and `restore{concept}(id:)`: four rows of the
/// table each. `$name` and `$code` are fresh for each attempt; `$home` is the organisation
/// that runs the site, and what belongs to it is not for the editor of another site.
/// People and documents belong to no organisation: every editor writes them.
struct Lifecycle {
    concept: &'static str,
    create: &'static str,
    update: &'static str,
    expected: &'static str,
}

const LIFECYCLES: &[Lifecycle] = &[
    Lifecycle {
        concept: "Organisation",
        create: "{ name: $name, kind: PARTY_BOARD, level: DISTRICT, parent: $home }",
        update: "{ abbreviation: \"BDV\" }",
        expected: "YYFFFU",
    },
    Lifecycle {
        concept: "Person",
        create: "{ fullName: $name }",
        update: "{ bio: \"Nguyên Trưởng ban Dân vận huyện\" }",
        expected: "YYYFFU",
    },
    Lifecycle {
        concept: "Position",
        create: "{ person: $person, organisation: $organisation, title: \"Trưởng ban\", start: \"2024-01-01\" }",
        update: "{ rank: 1 }",
        expected: "YYFFFU",
    },
    Lifecycle {
        concept: "Meeting",
        create: "{ title: $name, kind: THEMATIC, heldOn: \"2024-05-01\", organiser: $home }",
        update: "{ location: \"Hội trường Huyện ủy\" }",
        expected: "YYFFFU",
    },
    Lifecycle {
        concept: "DvkModel",
        create: "{ name: $name, field: ECONOMY, organisation: $home }",
        update: "{ area: RURAL }",
        expected: "YYFFFU",
    },
    Lifecycle {
        concept: "ReportFigure",
        create: "{ indicatorKey: \"dvk.models\", indicatorLabel: \"Mô hình\", value: 12, organisation: $home }",
        update: "{ value: 13 }",
        expected: "YYFFFU",
    },
    Lifecycle {
        concept: "Document",
        create: "{ code: $code }",
        update: "{ issuer: \"Bộ Chính trị\" }",
        expected: "YYYFFU",
    },
    Lifecycle {
        concept: "Campaign",
        create: "{ name: $name, organisation: $home }",
        update: "{ description: \"Phong trào thi đua\" }",
        expected: "YYFFFU",
    },
    Lifecycle {
        concept: "AdminUnit",
        create: "{ name: $name, level: COMMUNE }",
        update: "{ code: \"99002\" }",
        expected: "YFFFFU",
    },
];

/// The variable that names a live `concept`: `meeting`, `dvkModel`.
fn variable(concept: &str) -> String {
    let mut chars = concept.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Every row: the hand-written ones, then four for each lifecycle concept.
fn cases() -> Vec<(String, String, &'static str)> {
    let mut rows: Vec<_> = CASES
        .iter()
        .map(|c| (c.name.to_owned(), c.query.to_owned(), c.expected))
        .collect();
    for life in LIFECYCLES {
        let (concept, var) = (life.concept, variable(life.concept));
        let declared = [
            "$name: String!",
            "$code: String!",
            "$person: ID!",
            "$organisation: ID!",
            "$home: ID!",
        ]
        .into_iter()
        .filter(|d| life.create.contains(&d[..d.find(':').unwrap_or(0)]))
        .collect::<Vec<_>>()
        .join(", ");
        let create = if declared.is_empty() {
            format!(
                "mutation {{ create{concept}(input: {}) {{ id }} }}",
                life.create
            )
        } else {
            format!(
                "mutation({declared}) {{ create{concept}(input: {}) {{ id }} }}",
                life.create
            )
        };
        rows.push((format!("create{concept}"), create, life.expected));
        rows.push((
            format!("update{concept}"),
            format!(
                "mutation(${var}: ID!) {{ update{concept}(id: ${var}, version: 1, input: {}) {{ id }} }}",
                life.update
            ),
            life.expected,
        ));
        rows.push((
            format!("delete{concept}"),
            format!("mutation(${var}: ID!) {{ delete{concept}(id: ${var}, version: 1) {{ id }} }}"),
            life.expected,
        ));
        rows.push((
            format!("restore{concept}"),
            format!(
                "mutation($deleted{concept}: ID!) {{ restore{concept}(id: $deleted{concept}) {{ id }} }}"
            ),
            life.expected,
        ));
    }
    rows
}

fn id_of(response: &Value, field: &str) -> String {
    response["data"][field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{field}: {response}"))
        .to_owned()
}

fn done(response: &Value) {
    assert!(response["errors"].is_null(), "{response}");
}

/// Creates a `concept` as `admin` and returns its id; with `deleted`, deletes it again.
async fn made(app: &TestApp, admin: &str, concept: &str, input: Value, deleted: bool) -> String {
    let create =
        format!("mutation($input: {concept}Input!) {{ create{concept}(input: $input) {{ id }} }}");
    let response = app
        .graphql_as(admin, &create, json!({ "input": input }))
        .await;
    let id = id_of(&response, &format!("create{concept}"));
    if deleted {
        let delete =
            format!("mutation($id: ID!) {{ delete{concept}(id: $id, version: 1) {{ id }} }}");
        done(&app.graphql_as(admin, &delete, json!({ "id": id })).await);
    }
    id
}

/// The input of a fixture `concept`, unique to `label`, belonging to `home` or below it; a
/// position is held by `holder`.
fn input_of(concept: &str, label: &str, home: &str, holder: Option<(&str, &str)>) -> Value {
    match concept {
        "Organisation" => {
            json!({ "name": format!("Ban Dân vận xã {label}"), "kind": "PARTY_BOARD", "level": "COMMUNE", "parent": home })
        }
        "Person" => json!({ "fullName": format!("Nguyễn Văn An {label}") }),
        "Position" => {
            let (person, organisation) = holder.unwrap_or_default();
            json!({ "person": person, "organisation": organisation, "title": "Phó Trưởng ban", "start": "2023-01-01" })
        }
        "Meeting" => {
            json!({ "title": format!("Hội nghị sơ kết {label}"), "kind": "INTERIM_REVIEW", "heldOn": "2024-07-05", "organiser": home })
        }
        "DvkModel" => {
            json!({ "name": format!("Mô hình {label}"), "field": "CULTURE_SOCIETY", "organisation": home })
        }
        "ReportFigure" => {
            json!({ "indicatorKey": "dialogues.held", "indicatorLabel": "Cuộc đối thoại", "value": 4, "organisation": home })
        }
        "Document" => json!({ "code": format!("{label}-KL/TW") }),
        "Campaign" => json!({ "name": format!("Phong trào {label}"), "organisation": home }),
        "AdminUnit" => json!({ "name": format!("Xã {label}"), "level": "COMMUNE" }),
        other => panic!("no fixture for {other}"),
    }
}

/// Fresh things for one attempt, so that what one caller did does not decide what the
/// next one gets: the variables `query` declares, and only those.
async fn fixtures(app: &TestApp, n: &Newsroom, round: usize, query: &str) -> Value {
    let wants = |name: &str| query.contains(&format!("${name}:"));
    let admin = n.admin.as_str();
    let home = n.home.as_str();
    let mut vars = serde_json::Map::new();
    let mut put = |name: &str, value: Value| {
        vars.insert(name.to_owned(), value);
    };
    put("name", json!(format!("Tên {round}")));
    put("code", json!(format!("{round}-NQ/TW")));
    put("user", json!(format!("moi{round}")));
    put("home", json!(home));
    if wants("draft") {
        let (id, _) = draft(app, &n.reporter, &format!("Bản nháp {round}")).await;
        put("draft", json!(id));
    }
    if wants("inReview") {
        let (id, _) = draft(app, &n.reporter, &format!("Chờ duyệt {round}")).await;
        done(
            &app.graphql_as(
                &n.reporter,
                "mutation($id: ID!) { submitArticle(id: $id, version: 1) { id } }",
                json!({ "id": id }),
            )
            .await,
        );
        put("inReview", json!(id));
    }
    if wants("published") || wants("comment") {
        let (id, _) = draft(app, admin, &format!("Đã đăng {round}")).await;
        done(
            &app.graphql_as(
                admin,
                "mutation($id: ID!) { publishArticle(id: $id, version: 1) { id } }",
                json!({ "id": id }),
            )
            .await,
        );
        if wants("comment") {
            let comment = app
                .graphql(
                    "mutation($a: ID!) { postComment(article: $a, authorName: \"Bạn đọc\", body: \"Chờ duyệt\") { id } }",
                    json!({ "a": id }),
                )
                .await;
            put("comment", json!(id_of(&comment, "postComment")));
        }
        put("published", json!(id));
    }
    if wants("deleted") {
        let (id, _) = draft(app, &n.reporter, &format!("Đã xóa {round}")).await;
        done(
            &app.graphql_as(
                admin,
                "mutation($id: ID!) { deleteArticle(id: $id, version: 1) { id } }",
                json!({ "id": id }),
            )
            .await,
        );
        put("deleted", json!(id));
    }
    if wants("media") {
        // A photo of its own each round: the same bytes would be the same item.
        let photo = danvan_testing::photo::jpeg_with_exif(40 + round as u32, 30);
        let uploaded = app
            .upload(
                Some(admin),
                &[("site", "dan-van-lam-son")],
                photo,
                "quang-canh.jpg",
            )
            .await;
        assert_eq!(uploaded.status(), 201);
        let item: Value = uploaded.json().await.unwrap();
        put("media", item["id"].clone());
    }
    if wants("webhook") {
        let made = app
            .graphql_as(
                admin,
                r#"mutation { createWebhook(input: { url: "https://1.1.1.1/danvan-hook", events: ["article.published"], site: "dan-van-lam-son" }) { webhook { id } } }"#,
                json!({}),
            )
            .await;
        let id = made["data"]["createWebhook"]["webhook"]["id"].clone();
        assert!(id.is_string(), "{made}");
        put("webhook", id);
    }
    if wants("revised") {
        let (id, _) = draft(app, &n.reporter, &format!("Đã sửa {round}")).await;
        done(
            &app.graphql_as(
                admin,
                "mutation($id: ID!) { updateArticle(id: $id, version: 1, input: { lead: \"Sapo\" }) { id } }",
                json!({ "id": id }),
            )
            .await,
        );
        put("revised", json!(id));
    }
    for (var, deleted) in [("tag", false), ("deletedTag", true)] {
        if wants(var) {
            let tag = app
                .graphql_as(
                    admin,
                    "mutation($n: String!) { createTag(name: $n) { id } }",
                    json!({ "n": format!("Thẻ {var} {round}") }),
                )
                .await;
            let id = id_of(&tag, "createTag");
            if deleted {
                done(
                    &app.graphql_as(
                        admin,
                        "mutation($id: ID!) { deleteTag(id: $id, version: 1) { id } }",
                        json!({ "id": id }),
                    )
                    .await,
                );
            }
            put(var, json!(id));
        }
    }
    for (var, deleted) in [("category", false), ("deletedCategory", true)] {
        if wants(var) {
            let category = app
                .graphql_as(
                    admin,
                    "mutation($n: String!) { createCategory(site: \"dan-van-lam-son\", name: $n) { id } }",
                    json!({ "n": format!("Chuyên mục {var} {round}") }),
                )
                .await;
            let id = id_of(&category, "createCategory");
            if deleted {
                done(
                    &app.graphql_as(
                        admin,
                        "mutation($id: ID!) { deleteCategory(id: $id, version: 1) { id } }",
                        json!({ "id": id }),
                    )
                    .await,
                );
            }
            put(var, json!(id));
        }
    }
    for (var, deleted) in [("site", false), ("deletedSite", true)] {
        if wants(var) {
            let site = app
                .graphql_as(
                    admin,
                    "mutation($s: String!) { createSite(input: { slug: $s, name: \"Cổng thử\" }) { id } }",
                    json!({ "s": format!("cong-{}-{round}", var.to_ascii_lowercase()) }),
                )
                .await;
            let id = id_of(&site, "createSite");
            if deleted {
                done(
                    &app.graphql_as(
                        admin,
                        "mutation($id: ID!) { deleteSite(id: $id, version: 1) { id } }",
                        json!({ "id": id }),
                    )
                    .await,
                );
            }
            put(var, json!(id));
        }
    }
    if wants("account") || wants("member") || wants("refreshToken") {
        let member = format!("thu{round}");
        let account = app
            .graphql_as(
                admin,
                "mutation($u: String!) { createAccount(input: { username: $u, displayName: \"Đức Tình\", password: \"mật khẩu dài đủ\", role: REPORTER, site: \"dan-van-lam-son\" }) { id } }",
                json!({ "u": member }),
            )
            .await;
        put("account", json!(id_of(&account, "createAccount")));
        if wants("refreshToken") {
            let (_, refresh) = app.login(&member, "mật khẩu dài đủ").await;
            put("refreshToken", json!(refresh));
        }
        put("member", json!(member));
    }
    if wants("key") {
        let key = app
            .graphql_as(
                admin,
                "mutation { createApiKey(name: \"Đối tác\", scopes: [READ]) { id } }",
                json!({}),
            )
            .await;
        put("key", json!(id_of(&key, "createApiKey")));
    }
    let mut made_here: Vec<(String, String)> = Vec::new();
    for life in LIFECYCLES {
        let concept = life.concept;
        for (var, deleted) in [
            (variable(concept), false),
            (format!("deleted{concept}"), true),
        ] {
            if !wants(&var) {
                continue;
            }
            let holder = if concept == "Position" {
                let label = format!("{var} {round}");
                let person = made(
                    app,
                    admin,
                    "Person",
                    input_of("Person", &label, home, None),
                    false,
                )
                .await;
                let organisation = made(
                    app,
                    admin,
                    "Organisation",
                    input_of("Organisation", &format!("{var} {round}"), home, None),
                    false,
                )
                .await;
                Some((person, organisation))
            } else {
                None
            };
            let holder = holder.as_ref().map(|(p, o)| (p.as_str(), o.as_str()));
            let input = input_of(concept, &format!("{var} {round}"), home, holder);
            let id = made(app, admin, concept, input, deleted).await;
            made_here.push((var, id));
        }
    }
    for (var, id) in made_here {
        put(&var, json!(id));
    }
    for (var, concept) in [
        ("otherOrganisation", "Organisation"),
        ("otherPerson", "Person"),
    ] {
        if wants(var) {
            let input = input_of(concept, &format!("{var} {round}"), home, None);
            put(var, json!(made(app, admin, concept, input, false).await));
        }
    }
    if wants("unit") || wants("otherUnit") {
        for var in ["unit", "otherUnit"] {
            let input = input_of("AdminUnit", &format!("{var} {round}"), home, None);
            let id = made(app, admin, "AdminUnit", input, false).await;
            put(var, json!(id));
        }
    }
    Value::Object(vars)
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
        let answer = response["data"].as_object().and_then(|d| d.values().next());
        return if answer.is_some_and(Value::is_null) {
            'N'
        } else {
            'Y'
        };
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
    for (name, query, expected) in cases() {
        for (who, header) in credentials.iter().enumerate() {
            round += 1;
            let variables = fixtures(&app, &n, round, &query).await;
            let response = if query.contains("$file: Upload!") {
                let photo = danvan_testing::photo::jpeg_with_exif(64, 48);
                app.graphql_upload(
                    header.clone(),
                    &query,
                    declared(&query, &variables),
                    photo,
                    "hoi-nghi.jpg",
                )
                .await
            } else {
                app.graphql_with(header.clone(), &query, declared(&query, &variables))
                    .await
            };
            let got = outcome(&response);
            let expected = expected.chars().nth(who).unwrap();
            if got != expected {
                wrong.push(format!(
                    "{name} as {}: expected {expected}, got {got}: {response}",
                    CALLERS[who]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    app.stop().await;
    t
}

/// The table has a row for every mutation of the schema, so that a new one cannot be added
/// without saying who may call it.
#[test]
fn every_mutation_has_a_row() {
    let schema = danvan_graphql::builder().finish().sdl();
    let mutation = schema
        .split("type Mutation {")
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .expect("the schema has mutations");
    let rows: Vec<String> = cases().into_iter().map(|(name, _, _)| name).collect();
    let fields: Vec<&str> = mutation
        .lines()
        .map(str::trim)
        .filter_map(|line| line.split_once('(').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect();
    assert!(
        fields.contains(&"createSite") && fields.contains(&"login"),
        "{fields:?}"
    );
    let missing: Vec<&&str> = fields
        .iter()
        .filter(|name| !rows.iter().any(|row| row == *name))
        .collect();
    assert!(missing.is_empty(), "no row for {missing:?}");
}

danvan_testing::on_both_backends!(every_operation_against_every_caller);
