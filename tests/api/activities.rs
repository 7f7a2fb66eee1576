//! Activities: kinds, subjects of notes, required links, defaults and list filters.

use dealbook_tests::{Session, TestApp, api_test, assert_problem, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn id(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

fn field_names(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|error| error["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn subjects(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|row| row["subject"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn expect_invalid(owner: &Session<'_>, body: &Value) -> Value {
    let response = owner.post("/api/v1/activities", body).await;
    assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await
}

async fn new_contact(owner: &Session<'_>) -> Value {
    owner
        .create(
            "/api/v1/contacts",
            &json!({ "first_name": "Wei", "last_name": "Li" }),
        )
        .await
}

async fn activity_crud_round_trip(app: &TestApp) {
    let owner = app.signup("Activity Crud").await;
    let contact = new_contact(&owner).await;
    let body = json!({
        "kind": "meeting",
        "subject": " Kick-off ",
        "body": "Agreed on the pilot scope.",
        "occurred_at": "2026-03-01T10:00:00+08:00",
        "duration_minutes": 90,
        "contact_id": contact["id"],
    });
    let created = owner.create("/api/v1/activities", &body).await;
    assert_eq!(created["kind"], "meeting");
    assert_eq!(created["subject"], "Kick-off");
    assert_eq!(
        created["occurred_at"], "2026-03-01T02:00:00Z",
        "stored in UTC"
    );
    assert_eq!(
        created["owner_id"],
        owner.user_id.to_string(),
        "owner defaults to the creator"
    );

    let path = format!("/api/v1/activities/{}", id(&created));
    let patch = json!({ "kind": "visit", "duration_minutes": null, "body": null });
    let (status, patched) = status_and_json(owner.patch(&path, &patch).await).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["kind"], "visit");
    assert_eq!(patched["duration_minutes"], Value::Null);
    assert_eq!(patched["body"], Value::Null);
    assert_eq!(patched["subject"], "Kick-off", "absent fields stay");
    assert_eq!(patched["version"], 2);

    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_problem(owner.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let restored = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_eq!(restored.status(), StatusCode::OK);
}
api_test!(activity_crud_round_trip);

async fn note_subject_defaults_to_body(app: &TestApp) {
    let owner = app.signup("Notes").await;
    let contact = new_contact(&owner).await;
    let text = format!(
        "Budget approved.\n\n  {}",
        "They want a pilot first. ".repeat(5)
    );
    let body = json!({ "kind": "note", "body": text, "contact_id": contact["id"] });
    let created = owner.create("/api/v1/activities", &body).await;
    let subject = created["subject"].as_str().unwrap_or_default();
    assert!(
        subject.starts_with("Budget approved. They want"),
        "{subject}"
    );
    assert_eq!(subject.chars().count(), 80, "{subject}");
    assert_eq!(created["body"], text.trim(), "the body is kept whole");

    let occurred_at = created["occurred_at"].as_str().unwrap_or_default();
    assert!(
        occurred_at.ends_with('Z'),
        "occurred_at defaults to now: {occurred_at}"
    );

    let problem = expect_invalid(
        &owner,
        &json!({ "kind": "note", "contact_id": contact["id"] }),
    )
    .await;
    assert_eq!(field_names(&problem), ["subject"]);
    let call = json!({ "kind": "call", "body": "Left a voicemail", "contact_id": contact["id"] });
    let problem = expect_invalid(&owner, &call).await;
    assert_eq!(
        field_names(&problem),
        ["subject"],
        "only a note may omit the subject"
    );
}
api_test!(note_subject_defaults_to_body);

async fn activity_kind_must_be_known(app: &TestApp) {
    let owner = app.signup("Kinds").await;
    let contact = new_contact(&owner).await;
    for kind in ["note", "call", "meeting", "visit", "email"] {
        let body = json!({ "kind": kind, "subject": kind, "contact_id": contact["id"] });
        owner.create("/api/v1/activities", &body).await;
    }
    let body = json!({ "kind": "fax", "subject": "Fax", "contact_id": contact["id"] });
    let problem = expect_invalid(&owner, &body).await;
    assert_eq!(field_names(&problem), ["kind"]);
    let message = problem["errors"][0]["message"].as_str().unwrap_or_default();
    for kind in ["note", "call", "meeting", "visit", "email"] {
        assert!(message.contains(kind), "{message} lists {kind}");
    }

    let response = owner.get("/api/v1/activities?kind=fax").await;
    assert_problem(response, StatusCode::BAD_REQUEST, "invalid_query").await;
    let listed = owner.get_json("/api/v1/activities?kind=visit").await;
    assert_eq!(subjects(&listed), ["visit"]);
}
api_test!(activity_kind_must_be_known);

async fn activity_requires_a_live_link(app: &TestApp) {
    let alice = app.signup("Alice Activities").await;
    let bob = app.signup("Bob Activities").await;
    let problem = expect_invalid(&alice, &json!({ "kind": "call", "subject": "Lost" })).await;
    assert_eq!(
        field_names(&problem),
        ["deal_id", "contact_id", "company_id"]
    );

    let foreign_contact = new_contact(&bob).await;
    let foreign_company = bob
        .create("/api/v1/companies", &json!({ "name": "Bob's Client" }))
        .await;
    let body = json!({
        "kind": "call",
        "subject": "Wrong links",
        "deal_id": uuid::Uuid::now_v7(),
        "contact_id": foreign_contact["id"],
        "company_id": foreign_company["id"],
    });
    let problem = expect_invalid(&alice, &body).await;
    assert_eq!(
        field_names(&problem),
        ["deal_id", "contact_id", "company_id"]
    );
    assert_eq!(problem["errors"][1]["code"], "unknown_reference");

    let contact = new_contact(&alice).await;
    let company = alice
        .create("/api/v1/companies", &json!({ "name": "Globex" }))
        .await;
    let body = json!({ "kind": "call", "subject": "Intro", "contact_id": contact["id"] });
    let created = alice.create("/api/v1/activities", &body).await;
    let path = format!("/api/v1/activities/{}", id(&created));

    let response = alice.patch(&path, &json!({ "contact_id": null })).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_names(&problem),
        ["deal_id", "contact_id", "company_id"]
    );

    let swap = json!({ "contact_id": null, "company_id": company["id"] });
    let (status, patched) = status_and_json(alice.patch(&path, &swap).await).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["contact_id"], Value::Null);
    assert_eq!(patched["company_id"], company["id"]);
}
api_test!(activity_requires_a_live_link);

async fn activity_fields_are_checked(app: &TestApp) {
    let owner = app.signup("Activity Checks").await;
    let contact = new_contact(&owner).await;
    let link = contact["id"].clone();
    let cases = [
        (
            json!({ "kind": "call", "subject": "Long", "duration_minutes": 10081, "contact_id": link }),
            "duration_minutes",
        ),
        (
            json!({ "kind": "call", "subject": "Negative", "duration_minutes": -1, "contact_id": link }),
            "duration_minutes",
        ),
        (
            json!({ "kind": "call", "subject": "Date only", "occurred_at": "2026-03-01", "contact_id": link }),
            "occurred_at",
        ),
        (
            json!({ "kind": "call", "subject": "No zone", "occurred_at": "2026-03-01T10:00:00", "contact_id": link }),
            "occurred_at",
        ),
        (
            json!({ "kind": "call", "subject": "s".repeat(301), "contact_id": link }),
            "subject",
        ),
        (
            json!({ "kind": "call", "subject": "Extra", "mood": "good", "contact_id": link }),
            "mood",
        ),
    ];
    for (body, field) in cases {
        let problem = expect_invalid(&owner, &body).await;
        assert_eq!(field_names(&problem), [field], "body {body}");
    }
    let message = {
        let body = json!({ "kind": "call", "subject": "x", "occurred_at": "yesterday", "contact_id": link });
        let problem = expect_invalid(&owner, &body).await;
        problem["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(message.contains("\"yesterday\""), "{message}");

    let body = json!({ "kind": "call", "subject": "A week", "duration_minutes": 10080, "contact_id": link });
    let created = owner.create("/api/v1/activities", &body).await;
    let path = format!("/api/v1/activities/{}", id(&created));
    let cases = [
        (json!({ "occurred_at": null }), "occurred_at"),
        (json!({ "subject": "  " }), "subject"),
        (json!({ "kind": null }), "kind"),
        (json!({ "duration_minutes": 10081 }), "duration_minutes"),
        (json!({ "owner_id": uuid::Uuid::now_v7() }), "owner_id"),
    ];
    for (patch, field) in cases {
        let response = owner.patch(&path, &patch).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(field_names(&problem), [field], "patch {patch}");
    }
    assert_eq!(owner.get_json(&path).await["version"], 1, "nothing changed");
}
api_test!(activity_fields_are_checked);

async fn activity_list_filters_and_sorts(app: &TestApp) {
    let owner = app.signup("Activity Lists").await;
    let contact = new_contact(&owner).await;
    let company = owner
        .create("/api/v1/companies", &json!({ "name": "Globex" }))
        .await;
    let rows = [
        ("call", "January call", "2026-01-10T09:00:00Z", &contact),
        (
            "email",
            "February pricing e-mail",
            "2026-02-10T09:00:00Z",
            &contact,
        ),
        (
            "visit",
            "March site visit",
            "2026-03-10T09:00:00Z",
            &company,
        ),
    ];
    for (kind, subject, occurred_at, linked) in rows {
        let link = if linked["name"].is_string() {
            "company_id"
        } else {
            "contact_id"
        };
        let body = json!({ "kind": kind, "subject": subject, "occurred_at": occurred_at, link: linked["id"] });
        owner.create("/api/v1/activities", &body).await;
    }

    let cases = [
        (
            "",
            vec![
                "March site visit",
                "February pricing e-mail",
                "January call",
            ],
        ),
        (
            "sort=occurred_at",
            vec![
                "January call",
                "February pricing e-mail",
                "March site visit",
            ],
        ),
        ("q=PRICING", vec!["February pricing e-mail"]),
        ("kind=call", vec!["January call"]),
        (
            &*format!("company_id={}", id(&company)),
            vec!["March site visit"],
        ),
        (
            &*format!("contact_id={}", id(&contact)),
            vec!["February pricing e-mail", "January call"],
        ),
        (
            &*format!("owner_id={}", owner.user_id),
            vec![
                "March site visit",
                "February pricing e-mail",
                "January call",
            ],
        ),
        (
            "occurred_from=2026-02-10T09:00:00Z",
            vec!["March site visit", "February pricing e-mail"],
        ),
        ("occurred_to=2026-02-10T09:00:00Z", vec!["January call"]),
        (
            "occurred_from=2026-02-01T00:00:00%2B08:00&occurred_to=2026-03-01T00:00:00Z",
            vec!["February pricing e-mail"],
        ),
    ];
    for (query, expected) in cases {
        let listed = owner.get_json(&format!("/api/v1/activities?{query}")).await;
        assert_eq!(subjects(&listed), expected, "query {query}");
    }

    let response = owner
        .get("/api/v1/activities?occurred_from=2026-03-01T00:00:00Z&occurred_to=2026-02-01T00:00:00Z")
        .await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(field_names(&problem), ["occurred_to"]);
    let response = owner.get("/api/v1/activities?sort=subject").await;
    assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}
api_test!(activity_list_filters_and_sorts);
