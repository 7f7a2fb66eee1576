//! Tasks: completion timestamps, assignees, due instants and list filters.

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

fn titles(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|row| row["title"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn patch_ok(owner: &Session<'_>, path: &str, patch: &Value) -> Value {
    let (status, body) = status_and_json(owner.patch(path, patch).await).await;
    assert_eq!(status, StatusCode::OK, "PATCH {patch}: {body}");
    body
}

async fn task_done_sets_and_clears_done_at(app: &TestApp) {
    let owner = app.signup("Task Done").await;
    let created = owner
        .create("/api/v1/tasks", &json!({ "title": " Send the quote " }))
        .await;
    assert_eq!(created["title"], "Send the quote");
    assert_eq!(created["done"], false);
    assert_eq!(created["done_at"], Value::Null);
    assert_eq!(
        created["assignee_id"],
        owner.user_id.to_string(),
        "assigned to the creator"
    );

    let path = format!("/api/v1/tasks/{}", id(&created));
    let done = patch_ok(&owner, &path, &json!({ "done": true })).await;
    assert_eq!(done["done"], true);
    let done_at = done["done_at"].as_str().unwrap_or_default().to_owned();
    assert!(done_at.ends_with('Z'), "done_at is set: {done}");

    let again = patch_ok(&owner, &path, &json!({ "done": true, "notes": "Sent" })).await;
    assert_eq!(
        again["done_at"],
        done_at.as_str(),
        "a done task keeps its done_at"
    );

    let reopened = patch_ok(&owner, &path, &json!({ "done": false })).await;
    assert_eq!(reopened["done"], false);
    assert_eq!(reopened["done_at"], Value::Null);
    assert_eq!(reopened["notes"], "Sent");

    let finished = owner
        .create(
            "/api/v1/tasks",
            &json!({ "title": "Logged after the fact", "done": true }),
        )
        .await;
    assert_eq!(finished["done"], true);
    assert!(finished["done_at"].is_string(), "{finished}");

    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_problem(owner.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let restored = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_eq!(restored.status(), StatusCode::OK);
}
api_test!(task_done_sets_and_clears_done_at);

async fn task_fields_are_checked(app: &TestApp) {
    let alice = app.signup("Alice Tasks").await;
    let bob = app.signup("Bob Tasks").await;
    let foreign_contact = bob
        .create("/api/v1/contacts", &json!({ "last_name": "Li" }))
        .await;
    let cases = [
        (json!({ "title": "  " }), vec!["title"]),
        (json!({}), vec!["title"]),
        (
            json!({ "title": "Call", "due_at": "2026-05-01" }),
            vec!["due_at"],
        ),
        (json!({ "title": "Call", "done": "yes" }), vec!["done"]),
        (
            json!({ "title": "Call", "assignee_id": bob.user_id, "contact_id": foreign_contact["id"] }),
            vec!["assignee_id", "contact_id"],
        ),
        (
            json!({ "title": "Call", "deal_id": uuid::Uuid::now_v7(), "company_id": uuid::Uuid::now_v7() }),
            vec!["deal_id", "company_id"],
        ),
    ];
    for (body, expected) in cases {
        let response = alice.post("/api/v1/tasks", &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(field_names(&problem), expected, "body {body}");
    }

    let created = alice
        .create(
            "/api/v1/tasks",
            &json!({ "title": "Call back", "due_at": "2026-05-01T17:00:00+08:00" }),
        )
        .await;
    assert_eq!(created["due_at"], "2026-05-01T09:00:00Z");
    let path = format!("/api/v1/tasks/{}", id(&created));
    for (patch, field) in [
        (json!({ "title": null }), "title"),
        (json!({ "title": "" }), "title"),
        (json!({ "done": null }), "done"),
        (json!({ "due_at": "soon" }), "due_at"),
    ] {
        let response = alice.patch(&path, &patch).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(field_names(&problem), [field], "patch {patch}");
    }
    let cleared = patch_ok(
        &alice,
        &path,
        &json!({ "due_at": null, "assignee_id": null }),
    )
    .await;
    assert_eq!(cleared["due_at"], Value::Null);
    assert_eq!(cleared["assignee_id"], Value::Null);
}
api_test!(task_fields_are_checked);

async fn task_list_filters_and_sorts(app: &TestApp) {
    let owner = app.signup("Task Lists").await;
    let contact = owner
        .create("/api/v1/contacts", &json!({ "last_name": "Li" }))
        .await;
    let bodies = [
        json!({ "title": "Overdue call", "due_at": "2020-01-01T09:00:00Z", "contact_id": contact["id"] }),
        json!({ "title": "Finished review", "due_at": "2020-06-01T09:00:00Z", "done": true }),
        json!({ "title": "Future demo", "due_at": "2999-01-01T09:00:00Z" }),
        json!({ "title": "Someday cleanup" }),
    ];
    for body in &bodies {
        owner.create("/api/v1/tasks", body).await;
    }

    let cases = [
        (
            "",
            vec![
                "Overdue call",
                "Finished review",
                "Future demo",
                "Someday cleanup",
            ],
        ),
        (
            "sort=-due_at",
            vec![
                "Future demo",
                "Finished review",
                "Overdue call",
                "Someday cleanup",
            ],
        ),
        (
            "sort=title",
            vec![
                "Finished review",
                "Future demo",
                "Overdue call",
                "Someday cleanup",
            ],
        ),
        ("overdue=true", vec!["Overdue call"]),
        (
            "overdue=false",
            vec!["Finished review", "Future demo", "Someday cleanup"],
        ),
        ("done=true", vec!["Finished review"]),
        (
            "done=false",
            vec!["Overdue call", "Future demo", "Someday cleanup"],
        ),
        ("due_before=2020-06-01T09:00:00Z", vec!["Overdue call"]),
        (
            "due_after=2020-06-01T09:00:00Z",
            vec!["Finished review", "Future demo"],
        ),
        ("q=DEMO", vec!["Future demo"]),
        (
            &*format!("contact_id={}", id(&contact)),
            vec!["Overdue call"],
        ),
        (
            &*format!("assignee_id={}", owner.user_id),
            vec![
                "Overdue call",
                "Finished review",
                "Future demo",
                "Someday cleanup",
            ],
        ),
    ];
    for (query, expected) in cases {
        let listed = owner.get_json(&format!("/api/v1/tasks?{query}")).await;
        assert_eq!(titles(&listed), expected, "query {query}");
    }

    let first = owner.get_json("/api/v1/tasks?limit=3").await;
    let cursor = first["next_cursor"].as_str().unwrap_or_default().to_owned();
    let rest = owner
        .get_json(&format!("/api/v1/tasks?limit=3&cursor={cursor}"))
        .await;
    assert_eq!(
        titles(&rest),
        ["Someday cleanup"],
        "the undated task is on the last page"
    );
    assert_eq!(rest["next_cursor"], Value::Null);

    let response = owner
        .get("/api/v1/tasks?due_after=2021-01-01T00:00:00Z&due_before=2020-01-01T00:00:00Z")
        .await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(field_names(&problem), ["due_before"]);
    let response = owner.get("/api/v1/tasks?overdue=maybe").await;
    assert_problem(response, StatusCode::BAD_REQUEST, "invalid_query").await;
}
api_test!(task_list_filters_and_sorts);
