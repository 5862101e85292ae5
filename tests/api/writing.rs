//! Every concept written over the API, through the router: created, read by the public,
//! updated at the version read (a stale version refused), deleted softly and restored; and
//! what each concept's input checks.

use crate::helpers::{TestApp, error_code};
use crate::newsroom::{Newsroom, newsroom};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use danvan_testing::TestDatabase;
use serde_json::{Value, json};

fn ok<'a>(response: &'a Value, field: &str) -> &'a Value {
    assert!(response["errors"].is_null(), "{field}: {response}");
    &response["data"][field]
}

fn id(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{value}"))
        .to_owned()
}

/// One concept's life: `create` is the input of `create{name}`, `update` changes `field`
/// from `before` to `after`.
struct Life {
    name: &'static str,
    create: Value,
    field: &'static str,
    before: Value,
    update: Value,
    after: Value,
}

/// A person, an organisation and an administrative unit the concepts can point at.
async fn directory(app: &TestApp, n: &Newsroom) -> (String, String, String) {
    let person = app
        .graphql_as(
            &n.editor,
            "mutation { createPerson(input: { fullName: \"Hoàng Thị Thu Hường\" }) { id } }",
            json!({}),
        )
        .await;
    let organisation = app
        .graphql_as(
            &n.editor,
            "mutation($home: ID!) { createOrganisation(input: { name: \"Ban Dân vận Đảng ủy xã Thịnh Lộc\", kind: PARTY_BOARD, level: COMMUNE, parent: $home }) { id } }",
            json!({ "home": n.home }),
        )
        .await;
    let unit = app
        .graphql_as(
            &n.admin,
            "mutation { createAdminUnit(input: { name: \"Thịnh Lộc\", level: COMMUNE, code: \"99001\" }) { id } }",
            json!({}),
        )
        .await;
    (
        id(ok(&person, "createPerson")),
        id(ok(&organisation, "createOrganisation")),
        id(ok(&unit, "createAdminUnit")),
    )
}

async fn every_concept_is_written_versioned_and_deleted_softly(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let (person, organisation, unit) = directory(&app, &n).await;
    let lives = [
        Life {
            name: "Meeting",
            create: json!({
                "title": "Hội nghị sơ kết 6 tháng đầu năm 2024 công tác dân vận",
                "kind": "INTERIM_REVIEW",
                "heldOn": "2024-07-05",
                "organiser": organisation,
                "chairs": [person],
                "period": "2024-H1",
            }),
            field: "location",
            before: Value::Null,
            update: json!({ "location": "Hội trường Ủy ban nhân dân xã" }),
            after: json!("Hội trường Ủy ban nhân dân xã"),
        },
        Life {
            name: "Position",
            create: json!({
                "person": person,
                "organisation": organisation,
                "title": "Trưởng ban",
                "start": "2020-10-01",
            }),
            field: "end",
            before: Value::Null,
            update: json!({ "end": "2025-06-30" }),
            after: json!("2025-06-30"),
        },
        Life {
            name: "DvkModel",
            create: json!({
                "name": "Mô hình “Nhà sạch, vườn đẹp” ở thôn Đồng Tâm",
                "field": "ECONOMY",
                "organisation": organisation,
                "adminUnit": unit,
            }),
            field: "status",
            before: json!("REGISTERED"),
            update: json!({
                "status": "RECOGNISED",
                "recognition": { "level": "DISTRICT", "decision": "Quyết định số 125-QĐ/HU", "recognisedOn": "2024-12-20" },
            }),
            after: json!("RECOGNISED"),
        },
        Life {
            name: "ReportFigure",
            create: json!({
                "indicatorKey": "complaints.resolved",
                "indicatorLabel": "Đơn thư đã giải quyết",
                "value": 1272,
                "denominator": 1337,
                "unit": "đơn",
                "organisation": organisation,
            }),
            field: "value",
            before: json!(1272.0),
            update: json!({ "value": 1280 }),
            after: json!(1280.0),
        },
        Life {
            name: "Document",
            create: json!({ "code": "18-NQ/TW", "issuer": "Ban Chấp hành Trung ương" }),
            field: "title",
            before: Value::Null,
            update: json!({ "title": "Một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy" }),
            after: json!("Một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy"),
        },
        Life {
            name: "Campaign",
            create: json!({ "name": "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh", "organisation": organisation }),
            field: "startedOn",
            before: Value::Null,
            update: json!({ "startedOn": "2016-01-01" }),
            after: json!("2016-01-01"),
        },
        Life {
            name: "AdminUnit",
            create: json!({ "name": "Thịnh Hưng", "level": "COMMUNE", "parent": null }),
            field: "validFrom",
            before: Value::Null,
            update: json!({ "validFrom": "2025-07-01" }),
            after: json!("2025-07-01"),
        },
    ];
    for life in lives {
        let name = life.name;
        // Administrative units are the admins'; the rest are every editor's.
        let writer = if name == "AdminUnit" {
            &n.admin
        } else {
            &n.editor
        };
        let input = format!("{name}Input!");
        let create = format!(
            "mutation($input: {input}) {{ create{name}(input: $input) {{ id version {} }} }}",
            life.field
        );
        let created = app
            .graphql_as(writer, &create, json!({ "input": life.create }))
            .await;
        let created = ok(&created, &format!("create{name}"));
        assert_eq!(created["version"], 1, "{name}");
        assert_eq!(created[life.field], life.before, "{name}");
        let the_id = id(created);

        let read = format!(
            "query($id: ID!) {{ node(id: $id) {{ ... on {name} {{ version {} }} }} }}",
            life.field
        );
        let public = app.graphql(&read, json!({ "id": the_id })).await;
        assert_eq!(ok(&public, "node")[life.field], life.before, "{name}");

        let update = format!(
            "mutation($id: ID!, $v: Int!, $input: {input}) {{ update{name}(id: $id, version: $v, input: $input) {{ version {} }} }}",
            life.field
        );
        let updated = app
            .graphql_as(
                writer,
                &update,
                json!({ "id": the_id, "v": 1, "input": life.update }),
            )
            .await;
        let updated = ok(&updated, &format!("update{name}"));
        assert_eq!(updated["version"], 2, "{name}");
        assert_eq!(updated[life.field], life.after, "{name}");
        let stale = app
            .graphql_as(
                writer,
                &update,
                json!({ "id": the_id, "v": 1, "input": life.update }),
            )
            .await;
        assert_eq!(error_code(&stale), "CONFLICT", "{name}: {stale}");

        let delete = format!(
            "mutation($id: ID!, $v: Int!) {{ delete{name}(id: $id, version: $v) {{ version }} }}"
        );
        let stale = app
            .graphql_as(writer, &delete, json!({ "id": the_id, "v": 1 }))
            .await;
        assert_eq!(error_code(&stale), "CONFLICT", "{name}: {stale}");
        let deleted = app
            .graphql_as(writer, &delete, json!({ "id": the_id, "v": 2 }))
            .await;
        ok(&deleted, &format!("delete{name}"));
        let gone = app.graphql(&read, json!({ "id": the_id })).await;
        assert!(ok(&gone, "node").is_null(), "{name}: {gone}");

        let restore = format!(
            "mutation($id: ID!) {{ restore{name}(id: $id) {{ {} }} }}",
            life.field
        );
        let restored = app
            .graphql_as(writer, &restore, json!({ "id": the_id }))
            .await;
        assert_eq!(
            ok(&restored, &format!("restore{name}"))[life.field],
            life.after,
            "{name}"
        );
        let back = app.graphql(&read, json!({ "id": the_id })).await;
        assert_eq!(ok(&back, "node")[life.field], life.after, "{name}");

        let nowhere = URL_SAFE_NO_PAD.encode(format!("{name}:999999"));
        let missing = app
            .graphql_as(
                writer,
                &update,
                json!({ "id": nowhere, "v": 1, "input": life.update }),
            )
            .await;
        assert_eq!(error_code(&missing), "NOT_FOUND", "{name}: {missing}");
    }
    app.stop().await;
    t
}

async fn meetings_keep_their_people_periods_and_tasks(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let (person, organisation, _) = directory(&app, &n).await;
    let create = "mutation($input: MeetingInput!) { createMeeting(input: $input) {
        id version location tasks period { code label } chairs { fullName } organiser { name }
    } }";
    let twice = app
        .graphql_as(
            &n.editor,
            create,
            json!({ "input": {
                "title": "Hội nghị chuyên đề về Quy chế dân chủ ở cơ sở",
                "kind": "THEMATIC",
                "heldOn": "2024-03-12",
                "chairs": [person],
                "attendees": [person],
            }}),
        )
        .await;
    assert_eq!(error_code(&twice), "BAD_USER_INPUT", "{twice}");

    let created = app
        .graphql_as(
            &n.editor,
            create,
            json!({ "input": {
                "title": "Hội nghị tổng kết công tác dân vận năm 2023",
                "kind": "FINAL_REVIEW",
                "heldOn": "2024-01-10",
                "location": "Hội trường\u{a0}Huyện ủy",
                "organiser": organisation,
                "chairs": [person],
                "period": "năm 2023",
                "tasks": ["Tiếp tục thực hiện\u{a0}Quy chế dân chủ ở cơ sở", "Nhân rộng mô hình “Dân vận khéo”"],
            }}),
        )
        .await;
    let meeting = ok(&created, "createMeeting");
    assert_eq!(meeting["location"], "Hội trường Huyện ủy");
    assert_eq!(meeting["period"]["code"], "2023");
    assert_eq!(meeting["chairs"][0]["fullName"], "Hoàng Thị Thu Hường");
    assert_eq!(
        meeting["organiser"]["name"],
        "Ban Dân vận Đảng ủy xã Thịnh Lộc"
    );
    assert_eq!(
        meeting["tasks"],
        json!([
            "Tiếp tục thực hiện Quy chế dân chủ ở cơ sở",
            "Nhân rộng mô hình “Dân vận khéo”"
        ])
    );
    let meeting_id = id(meeting);

    // Left out keeps, null clears, a printed period is read.
    let update = "mutation($id: ID!, $v: Int!, $input: MeetingInput!) {
        updateMeeting(id: $id, version: $v, input: $input) { version location period { code } tasks organiser { name } }
    }";
    let updated = app
        .graphql_as(
            &n.editor,
            update,
            json!({ "id": meeting_id, "v": 1, "input": { "location": null, "period": "6 tháng đầu năm 2023" } }),
        )
        .await;
    let updated = ok(&updated, "updateMeeting");
    assert!(updated["location"].is_null(), "{updated}");
    assert_eq!(updated["period"]["code"], "2023-H1");
    assert_eq!(updated["tasks"].as_array().unwrap().len(), 2);
    assert_eq!(
        updated["organiser"]["name"],
        "Ban Dân vận Đảng ủy xã Thịnh Lộc"
    );

    for (input, why) in [
        (json!({ "period": "sắp tới" }), "not a period"),
        (json!({ "location": " " }), "an empty note"),
        (json!({ "tasks": [" "] }), "an empty task"),
        (json!({ "title": "" }), "an empty title"),
        (json!({ "chairs": ["bm90IGFuIGlk"] }), "not an id"),
        (json!({ "organiser": meeting_id }), "an id of another kind"),
    ] {
        let refused = app
            .graphql_as(
                &n.editor,
                update,
                json!({ "id": meeting_id, "v": 2, "input": input }),
            )
            .await;
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{why}: {refused}");
    }
    // Nothing was half-written by the refused updates.
    let read = app
        .graphql(
            "query($id: ID!) { node(id: $id) { ... on Meeting { version period { code } } } }",
            json!({ "id": meeting_id }),
        )
        .await;
    assert_eq!(ok(&read, "node")["version"], 2);
    assert_eq!(read["data"]["node"]["period"]["code"], "2023-H1");

    // A meeting that is deleted leaves search until it is restored.
    let search = "{ search(query: \"tổng kết công tác dân vận năm 2023\", types: [MEETING]) { totalCount } }";
    assert_eq!(
        app.graphql(search, json!({})).await["data"]["search"]["totalCount"],
        1
    );
    let deleted = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!) { deleteMeeting(id: $id, version: 2) { id } }",
            json!({ "id": meeting_id }),
        )
        .await;
    ok(&deleted, "deleteMeeting");
    assert_eq!(
        app.graphql(search, json!({})).await["data"]["search"]["totalCount"],
        0
    );
    app.stop().await;
    t
}

async fn models_figures_and_positions_check_their_rules(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let (person, organisation, _) = directory(&app, &n).await;

    // A recognised model has its recognition, and a registered one has none.
    let model = "mutation($input: DvkModelInput!) { createDvkModel(input: $input) { id status recognition { level decision } } }";
    let unrecognised = app
        .graphql_as(
            &n.editor,
            model,
            json!({ "input": { "name": "Mô hình “Dân vận khéo” trong xây dựng nông thôn mới", "field": "ECONOMY", "status": "RECOGNISED" } }),
        )
        .await;
    assert_eq!(
        error_code(&unrecognised),
        "BAD_USER_INPUT",
        "{unrecognised}"
    );
    let recognised = app
        .graphql_as(
            &n.editor,
            model,
            json!({ "input": {
                "name": "Mô hình “Dân vận khéo” trong xây dựng nông thôn mới",
                "field": "ECONOMY",
                "status": "RECOGNISED",
                "recognition": { "level": "PROVINCE", "decision": "Quyết định số 2057-QĐ/TU" },
                "period": "giai đoạn 2021-2025",
            }}),
        )
        .await;
    assert_eq!(
        ok(&recognised, "createDvkModel")["recognition"]["decision"],
        "Quyết định số 2057-QĐ/TU"
    );
    let found = app
        .graphql(
            "{ search(query: \"dân vận khéo nông thôn mới\", types: [DVK_MODEL]) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(found["data"]["search"]["totalCount"], 1, "{found}");

    // A figure keeps its whole; its key is a stable key and its references exist.
    let figure = "mutation($input: ReportFigureInput!) { createReportFigure(input: $input) { id ratio qualifier period { code } } }";
    let created = app
        .graphql_as(
            &n.editor,
            figure,
            json!({ "input": {
                "indicatorKey": "complaints.resolved",
                "indicatorLabel": "Đơn thư đã giải quyết",
                "value": 1272,
                "denominator": 1337,
                "qualifier": "EXACT",
                "period": "quý III năm 2024",
                "wording": "Đã giải quyết 1.272/1.337 đơn, đạt trên 95%",
            }}),
        )
        .await;
    let created = ok(&created, "createReportFigure");
    assert!((created["ratio"].as_f64().unwrap() - 0.951).abs() < 0.001);
    assert_eq!(created["period"]["code"], "2024-Q3");
    for (input, why) in [
        (
            json!({ "indicatorKey": "Đơn thư", "indicatorLabel": "Đơn thư", "value": 3 }),
            "a key that is not a stable key",
        ),
        (
            json!({ "indicatorKey": "complaints.resolved", "indicatorLabel": "Đơn thư", "value": 3, "denominator": 0 }),
            "a whole of nothing",
        ),
        (
            json!({ "indicatorKey": "complaints.resolved", "indicatorLabel": "Đơn thư" }),
            "no value",
        ),
        (
            json!({ "indicatorKey": "complaints.resolved", "indicatorLabel": "Đơn thư", "value": 3, "meeting": URL_SAFE_NO_PAD.encode("Meeting:999999") }),
            "a meeting that does not exist",
        ),
    ] {
        let refused = app
            .graphql_as(&n.editor, figure, json!({ "input": input }))
            .await;
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{why}: {refused}");
    }

    // A position's term cannot end before it starts; the person lists the post.
    let position = "mutation($input: PositionInput!) { createPosition(input: $input) { id person { positions { title } } } }";
    let backwards = app
        .graphql_as(
            &n.editor,
            position,
            json!({ "input": { "person": person, "organisation": organisation, "title": "Phó Trưởng ban", "start": "2024-01-01", "end": "2023-01-01" } }),
        )
        .await;
    assert_eq!(error_code(&backwards), "BAD_USER_INPUT", "{backwards}");
    let held = app
        .graphql_as(
            &n.editor,
            position,
            json!({ "input": { "person": person, "organisation": organisation, "title": "Phó Trưởng ban", "start": "2024-01-01" } }),
        )
        .await;
    assert_eq!(
        ok(&held, "createPosition")["person"]["positions"][0]["title"],
        "Phó Trưởng ban"
    );

    // Documents are unique by code and read their kind off it; campaigns get a slug.
    let document =
        "mutation($code: String!) { createDocument(input: { code: $code }) { kind code } }";
    let directive = app
        .graphql_as(&n.editor, document, json!({ "code": "05-CT/TW" }))
        .await;
    assert_eq!(ok(&directive, "createDocument")["kind"], "DIRECTIVE");
    let again = app
        .graphql_as(&n.editor, document, json!({ "code": "05-CT/TW" }))
        .await;
    assert_eq!(error_code(&again), "CONFLICT", "{again}");
    let campaign =
        "mutation($input: CampaignInput!) { createCampaign(input: $input) { slug name } }";
    let created = app
        .graphql_as(
            &n.editor,
            campaign,
            json!({ "input": { "name": "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" } }),
        )
        .await;
    assert_eq!(
        ok(&created, "createCampaign")["slug"],
        "hoc-tap-va-lam-theo-tu-tuong-dao-duc-phong-cach-ho-chi-minh"
    );
    let backwards = app
        .graphql_as(
            &n.editor,
            campaign,
            json!({ "input": { "name": "Phong trào thi đua năm 2024", "startedOn": "2024-12-31", "endedOn": "2024-01-01" } }),
        )
        .await;
    assert_eq!(error_code(&backwards), "BAD_USER_INPUT", "{backwards}");
    app.stop().await;
    t
}

async fn a_merged_unit_passes_its_area_to_its_successor(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let unit = "mutation($input: AdminUnitInput!) { createAdminUnit(input: $input) { id } }";
    let old = app
        .graphql_as(
            &n.admin,
            unit,
            json!({ "input": { "name": "Thịnh Lộc", "level": "COMMUNE", "validTo": "2025-06-30" } }),
        )
        .await;
    let old = id(ok(&old, "createAdminUnit"));
    let new = app
        .graphql_as(
            &n.admin,
            unit,
            json!({ "input": { "name": "Thịnh Hưng", "level": "COMMUNE", "validFrom": "2025-07-01" } }),
        )
        .await;
    let new = id(ok(&new, "createAdminUnit"));
    let succession = "mutation($from: ID!, $to: ID!) {
        addAdminUnitSuccession(predecessor: $from, successor: $to, kind: MERGED, effectiveOn: \"2025-07-01\") {
            kind predecessor { name } successor { name }
        }
    }";
    let refused = app
        .graphql_as(&n.editor, succession, json!({ "from": old, "to": new }))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    let itself = app
        .graphql_as(&n.admin, succession, json!({ "from": old, "to": old }))
        .await;
    assert_eq!(error_code(&itself), "BAD_USER_INPUT", "{itself}");
    let added = app
        .graphql_as(&n.admin, succession, json!({ "from": old, "to": new }))
        .await;
    let added = ok(&added, "addAdminUnitSuccession");
    assert_eq!(added["predecessor"]["name"], "Thịnh Lộc");
    assert_eq!(added["successor"]["name"], "Thịnh Hưng");
    let twice = app
        .graphql_as(&n.admin, succession, json!({ "from": old, "to": new }))
        .await;
    assert_eq!(error_code(&twice), "CONFLICT", "{twice}");
    let read = app
        .graphql(
            "query($id: ID!) { node(id: $id) { ... on AdminUnit { successors { kind successor { name } } } } }",
            json!({ "id": old }),
        )
        .await;
    assert_eq!(
        ok(&read, "node")["successors"],
        json!([{ "kind": "MERGED", "successor": { "name": "Thịnh Hưng" } }])
    );
    app.stop().await;
    t
}

async fn an_editor_writes_for_their_own_organisations(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let theirs = app
        .graphql(
            "{ site(slug: \"phu-thinh\") { organisation { id } } }",
            json!({}),
        )
        .await;
    let theirs = id(&theirs["data"]["site"]["organisation"]);
    let create = "mutation($input: MeetingInput!) { createMeeting(input: $input) { id version } }";
    let meeting = |organiser: Option<&str>| {
        json!({ "input": {
            "title": "Hội nghị giao ban công tác dân vận quý I năm 2025",
            "kind": "THEMATIC",
            "heldOn": "2025-03-28",
            "organiser": organiser,
        }})
    };

    // The editor of Phú Thịnh does not hold meetings for the province's board …
    let refused = app
        .graphql_as(&n.other_editor, create, meeting(Some(&n.home)))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    // … but for their own organisations, and for no organisation at all.
    let own = app
        .graphql_as(&n.other_editor, create, meeting(Some(&theirs)))
        .await;
    ok(&own, "createMeeting");
    let shared = app.graphql_as(&n.other_editor, create, meeting(None)).await;
    let shared = id(ok(&shared, "createMeeting"));

    // The province's editor holds the province board's meeting; the other editor may
    // neither change it nor take it over, and the editor may not hand it to them.
    let home = app
        .graphql_as(&n.editor, create, meeting(Some(&n.home)))
        .await;
    let home = id(ok(&home, "createMeeting"));
    let update = "mutation($id: ID!, $v: Int!, $input: MeetingInput!) { updateMeeting(id: $id, version: $v, input: $input) { version } }";
    for (who, input) in [
        (
            &n.other_editor,
            json!({ "location": "Hội trường Huyện ủy" }),
        ),
        (&n.other_editor, json!({ "organiser": theirs })),
        (&n.other_editor, json!({ "organiser": null })),
        (&n.editor, json!({ "organiser": theirs })),
    ] {
        let refused = app
            .graphql_as(who, update, json!({ "id": home, "v": 1, "input": input }))
            .await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{input}: {refused}");
    }
    let refused = app
        .graphql_as(
            &n.other_editor,
            "mutation($id: ID!) { deleteMeeting(id: $id, version: 1) { id } }",
            json!({ "id": home }),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    let read = app
        .graphql(
            "query($id: ID!) { node(id: $id) { ... on Meeting { version organiser { id } } } }",
            json!({ "id": home }),
        )
        .await;
    assert_eq!(read["data"]["node"]["version"], 1, "{read}");
    assert_eq!(read["data"]["node"]["organiser"]["id"], n.home.as_str());
    // A meeting of no organisation is the shared directory's: the province's editor may
    // give it to the province's board, and then it is theirs.
    let given = app
        .graphql_as(
            &n.editor,
            update,
            json!({ "id": shared, "v": 1, "input": { "organiser": n.home } }),
        )
        .await;
    ok(&given, "updateMeeting");

    // New organisations go under one's own; only admins add one at the top.
    let organisation = "mutation($parent: ID) { createOrganisation(input: { name: \"Ban Dân vận Đảng ủy xã Phú Lộc\", kind: PARTY_BOARD, level: COMMUNE, parent: $parent }) { id } }";
    for (who, parent, expected) in [
        (&n.other_editor, Some(n.home.as_str()), "FORBIDDEN"),
        (&n.other_editor, None, "FORBIDDEN"),
        (&n.editor, None, "FORBIDDEN"),
    ] {
        let refused = app
            .graphql_as(who, organisation, json!({ "parent": parent }))
            .await;
        assert_eq!(error_code(&refused), expected, "{refused}");
    }
    let below = app
        .graphql_as(&n.other_editor, organisation, json!({ "parent": theirs }))
        .await;
    let below = id(ok(&below, "createOrganisation"));
    // Moving it under the province's board is not the district editor's to do.
    let moved = app
        .graphql_as(
            &n.other_editor,
            "mutation($id: ID!, $parent: ID!) { updateOrganisation(id: $id, version: 1, input: { parent: $parent }) { id } }",
            json!({ "id": below, "parent": n.home }),
        )
        .await;
    assert_eq!(error_code(&moved), "FORBIDDEN", "{moved}");
    let top = app
        .graphql_as(
            &n.admin,
            "mutation { createOrganisation(input: { name: \"Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lam Sơn\", kind: FATHERLAND_FRONT, level: PROVINCE }) { id } }",
            json!({}),
        )
        .await;
    assert!(top["errors"].is_null(), "{top}");
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    an_editor_writes_for_their_own_organisations,
    every_concept_is_written_versioned_and_deleted_softly,
    meetings_keep_their_people_periods_and_tasks,
    models_figures_and_positions_check_their_rules,
    a_merged_unit_passes_its_area_to_its_successor,
    records_made_twice_are_merged_and_their_old_ids_resolve,
);

/// An organisation and a person made twice are merged by an editor: their posts move, the
/// old ids resolve to the records kept at both doors, a body cannot be merged into one
/// below it, and an editor cannot merge what is not theirs. Two bodies of one name get two
/// slugs.
async fn records_made_twice_are_merged_and_their_old_ids_resolve(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let create_body = "mutation($home: ID!) { createOrganisation(input: { name: \"Ủy ban MTTQ xã Yên Bình\", kind: FATHERLAND_FRONT, level: COMMUNE, parent: $home }) { id slug } }";
    let first = ok(
        &app.graphql_as(&n.editor, create_body, json!({ "home": n.home }))
            .await,
        "createOrganisation",
    )
    .clone();
    let second = ok(
        &app.graphql_as(&n.editor, create_body, json!({ "home": n.home }))
            .await,
        "createOrganisation",
    )
    .clone();
    assert_eq!(first["slug"], "uy-ban-mttq-xa-yen-binh");
    assert_eq!(second["slug"], "uy-ban-mttq-xa-yen-binh-2", "not CONFLICT");
    let person = |name: &str| {
        let app = &app;
        let token = n.editor.clone();
        let query =
            format!("mutation {{ createPerson(input: {{ fullName: \"{name}\" }}) {{ id }} }}");
        async move {
            id(ok(
                &app.graphql_as(&token, &query, json!({})).await,
                "createPerson",
            ))
        }
    };
    let hung = person("Nguyễn Văn Hùng").await;
    let hung_again = person("Nguyễn Văn Hùng").await;
    let post = "mutation($p: ID!, $o: ID!, $t: String!) { createPosition(input: { person: $p, organisation: $o, title: $t, start: \"2024-07-08\" }) { id } }";
    for (p, o, title) in [
        (&hung, id(&first), "Chủ tịch"),
        (&hung_again, id(&second), "Ủy viên Thường trực"),
    ] {
        ok(
            &app.graphql_as(&n.editor, post, json!({ "p": p, "o": o, "t": title }))
                .await,
            "createPosition",
        );
    }

    // Another district's editor may not merge them.
    let merge_bodies = "mutation($from: ID!, $into: ID!) { mergeOrganisations(from: $from, into: $into) { id slug positions { title } } }";
    let refused = app
        .graphql_as(
            &n.other_editor,
            merge_bodies,
            json!({ "from": id(&second), "into": id(&first) }),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    // Nor can a body go into one below it.
    let below = app
        .graphql_as(
            &n.editor,
            merge_bodies,
            json!({ "from": n.home, "into": id(&first) }),
        )
        .await;
    assert_eq!(error_code(&below), "BAD_USER_INPUT", "{below}");

    let merged = app
        .graphql_as(
            &n.editor,
            merge_bodies,
            json!({ "from": id(&second), "into": id(&first) }),
        )
        .await;
    let kept = ok(&merged, "mergeOrganisations");
    assert_eq!(kept["id"], first["id"]);
    let mut titles: Vec<&str> = kept["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Chủ tịch", "Ủy viên Thường trực"]);

    let merge_people = "mutation($from: ID!, $into: ID!) { mergePeople(from: $from, into: $into) { id fullName positions { title } } }";
    let merged = app
        .graphql_as(
            &n.editor,
            merge_people,
            json!({ "from": hung_again, "into": hung }),
        )
        .await;
    let kept = ok(&merged, "mergePeople");
    assert_eq!(kept["id"], hung.as_str());
    assert_eq!(kept["positions"].as_array().unwrap().len(), 2, "{kept}");

    // The old ids lead to the records kept, at both doors.
    let old = app
        .graphql(
            "query($o: ID!, $p: ID!) { organisation(id: $o) { id } person(id: $p) { id } }",
            json!({ "o": id(&second), "p": hung_again }),
        )
        .await;
    assert_eq!(old["data"]["organisation"]["id"], first["id"], "{old}");
    assert_eq!(old["data"]["person"]["id"], hung.as_str(), "{old}");
    let rest: Value = app
        .get(&format!("/api/v1/organisations/{}", id(&second)))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["id"], first["id"], "{rest}");
    let rest: Value = app
        .get(&format!("/api/v1/people/{hung_again}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["id"], hung.as_str(), "{rest}");
    app.stop().await;
    t
}
