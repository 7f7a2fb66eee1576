//! `/pipelines`: pipelines with embedded stages, stage list replacement and the rules that
//! keep deals in live stages.

use dealbook_tests::{Session, TestApp, api_test, assert_problem, status_and_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn id(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

fn error_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| {
            let field = error["field"].as_str().unwrap_or_default().to_owned();
            let code = error["code"].as_str().unwrap_or_default().to_owned();
            (field, code)
        })
        .collect()
}

fn stage(name: &str, probability: i64, kind: &str) -> Value {
    json!({ "name": name, "probability": probability, "kind": kind })
}

async fn create_pipeline(owner: &Session<'_>, name: &str) -> Value {
    let body = json!({
        "name": name,
        "stages": [
            stage("Discovery", 10, "open"),
            stage("Proposal", 50, "open"),
            stage("Won", 100, "won"),
            stage("Lost", 0, "lost"),
        ],
    });
    owner.create("/api/v1/pipelines", &body).await
}

async fn pipeline_create_embeds_stages(app: &TestApp) {
    let owner = app.signup("Pipes Co").await;
    let defaults = owner.get_json("/api/v1/pipelines").await;
    assert_eq!(
        defaults["data"][0]["name"], "Sales",
        "sign-up adds the default pipeline"
    );

    let created = create_pipeline(&owner, "Enterprise").await;
    assert_eq!(created["version"], 1);
    assert_eq!(created["position"], 1, "placed after the default pipeline");
    let stages = created["stages"].as_array().unwrap();
    let names: Vec<&str> = stages
        .iter()
        .filter_map(|stage| stage["name"].as_str())
        .collect();
    assert_eq!(names, ["Discovery", "Proposal", "Won", "Lost"]);
    let positions: Vec<i64> = stages
        .iter()
        .filter_map(|stage| stage["position"].as_i64())
        .collect();
    assert_eq!(positions, [0, 1, 2, 3]);
    assert_eq!(stages[2]["kind"], "won");
    assert_eq!(stages[1]["probability"], 50);

    let fetched = owner
        .get_json(&format!("/api/v1/pipelines/{}", id(&created)))
        .await;
    assert_eq!(fetched["stages"], created["stages"]);
    let duplicate =
        json!({ "name": "enterprise", "stages": [stage("A", 1, "open"), stage("B", 100, "won")] });
    let response = owner.post("/api/v1/pipelines", &duplicate).await;
    assert_problem(response, StatusCode::CONFLICT, "pipeline_name_taken").await;
}
api_test!(pipeline_create_embeds_stages);

async fn pipeline_stages_are_validated(app: &TestApp) {
    let owner = app.signup("Rules Co").await;
    let too_many: Vec<Value> = (0..31)
        .map(|index| stage(&format!("Step {index}"), 10, "open"))
        .collect();
    let cases = [
        (json!([]), vec![("stages", "invalid_length")]),
        (
            json!(too_many),
            vec![
                ("stages", "invalid_length"),
                ("stages", "missing_won_stage"),
            ],
        ),
        (
            json!([
                stage("Lead", 10, "open"),
                stage(" LEAD ", 20, "open"),
                stage("Won", 100, "won")
            ]),
            vec![("stages[1].name", "duplicate_name")],
        ),
        (
            json!([stage("Won", 100, "won")]),
            vec![("stages", "missing_open_stage")],
        ),
        (
            json!([stage("Lead", 101, "open"), stage("", 100, "won")]),
            vec![
                ("stages[0].probability", "out_of_range"),
                ("stages[1].name", "required"),
            ],
        ),
    ];
    for (stages, expected) in cases {
        let body = json!({ "name": "Checked", "stages": stages });
        let response = owner.post("/api/v1/pipelines", &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(field, code)| (field.to_owned(), code.to_owned()))
            .collect();
        assert_eq!(error_codes(&problem), expected, "{body}");
    }

    let bad_kind = json!({ "name": "K", "stages": [stage("A", 1, "pending")] });
    let response = owner.post("/api/v1/pipelines", &bad_kind).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "stages[0].kind");
    let listed = owner.get_json("/api/v1/pipelines?with_total=true").await;
    assert_eq!(listed["total"], 1, "no rejected request added a pipeline");
}
api_test!(pipeline_stages_are_validated);

async fn pipeline_patch_replaces_stages(app: &TestApp) {
    let owner = app.signup("Replace Co").await;
    let created = create_pipeline(&owner, "Projects").await;
    let path = format!("/api/v1/pipelines/{}", id(&created));
    let old = created["stages"].as_array().unwrap().clone();

    let body = json!({
        "name": "Projects 2",
        "stages": [
            stage("Lead", 5, "open"),
            { "id": old[1]["id"], "name": "Quote", "probability": 60, "kind": "open" },
            { "id": old[0]["id"], "name": "Discovery", "probability": 10, "kind": "open" },
            { "id": old[2]["id"], "name": "Won", "probability": 100, "kind": "won" },
        ],
    });
    let response = owner
        .send_with_headers(Method::PATCH, &path, Some(&body), &[("If-Match", "\"1\"")])
        .await;
    assert_eq!(response.headers()["etag"], "\"2\"");
    let (status, patched) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["name"], "Projects 2");
    let stages = patched["stages"].as_array().unwrap();
    let names: Vec<&str> = stages
        .iter()
        .filter_map(|stage| stage["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["Lead", "Quote", "Discovery", "Won"],
        "stages follow the list order"
    );
    assert_eq!(stages[1]["id"], old[1]["id"], "a listed stage keeps its id");
    assert_eq!(stages[1]["probability"], 60);
    assert!(
        !old.iter().any(|stage| stage["id"] == stages[0]["id"]),
        "a new stage gets an id"
    );
    assert!(
        !stages.iter().any(|stage| stage["id"] == old[3]["id"]),
        "Lost was removed"
    );

    let stale = owner
        .send_with_headers(
            Method::PATCH,
            &path,
            Some(&json!({ "name": "X" })),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_problem(stale, StatusCode::PRECONDITION_FAILED, "stale_version").await;
    let removed_stage =
        json!({ "id": old[3]["id"], "name": "Lost", "probability": 0, "kind": "open" });
    let foreign = json!({ "stages": [removed_stage, stage("W", 100, "won")] });
    let response = owner.patch(&path, &foreign).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_codes(&problem),
        [("stages[0].id".to_owned(), "unknown_stage".to_owned())]
    );
    let response = owner.patch(&path, &json!({ "stages": null })).await;
    assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let unchanged = owner.get_json(&path).await;
    assert_eq!(unchanged["version"], 2, "rejected patches change nothing");
}
api_test!(pipeline_patch_replaces_stages);

async fn stages_with_deals_stay(app: &TestApp) {
    let owner = app.signup("Deals Co").await;
    let created = create_pipeline(&owner, "Busy").await;
    let path = format!("/api/v1/pipelines/{}", id(&created));
    let stages = created["stages"].as_array().unwrap().clone();
    let deal =
        json!({ "name": "Big deal", "pipeline_id": created["id"], "stage_id": stages[1]["id"] });
    let deal = owner.create("/api/v1/deals", &deal).await;

    let without_proposal = json!({ "stages": [
        { "id": stages[0]["id"], "name": "Discovery", "probability": 10, "kind": "open" },
        { "id": stages[2]["id"], "name": "Won", "probability": 100, "kind": "won" },
    ] });
    let response = owner.patch(&path, &without_proposal).await;
    let problem = assert_problem(response, StatusCode::CONFLICT, "stage_in_use").await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("Proposal") && detail.contains("1 live deal"),
        "{detail}"
    );
    let response = owner.delete(&path).await;
    assert_problem(response, StatusCode::CONFLICT, "pipeline_in_use").await;

    let deal_path = format!("/api/v1/deals/{}", id(&deal));
    assert_eq!(
        owner.delete(&deal_path).await.status(),
        StatusCode::NO_CONTENT
    );
    let (status, body) = status_and_json(owner.patch(&path, &without_proposal).await).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a stage of deleted deals can go: {body}"
    );
    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_problem(owner.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;

    let restored = owner.post(&format!("{path}/restore"), &json!({})).await;
    let (status, restored) = status_and_json(restored).await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(
        restored["stages"].as_array().unwrap().len(),
        2,
        "stages come back"
    );
}
api_test!(stages_with_deals_stay);

async fn pipeline_list_uses_fixed_queries(app: &TestApp) {
    let owner = app.signup("Count Co").await;
    for index in 0..5 {
        create_pipeline(&owner, &format!("Line {index}")).await;
    }
    let (small, _) = app
        .count_statements(owner.get("/api/v1/pipelines?limit=1"))
        .await;
    let (large, response) = app
        .count_statements(owner.get("/api/v1/pipelines?limit=6"))
        .await;
    let page: Value = response.json().await.unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 6);
    assert!(page["data"].as_array().unwrap().iter().all(|pipeline| {
        pipeline["stages"]
            .as_array()
            .is_some_and(|stages| !stages.is_empty())
    }));
    assert_eq!(small, large, "stages of a page are loaded in one query");

    let by_name = owner.get_json("/api/v1/pipelines?sort=-name&limit=2").await;
    assert_eq!(by_name["data"][0]["name"], "Sales");
    let cursor = by_name["next_cursor"].as_str().unwrap();
    let next = owner
        .get_json(&format!(
            "/api/v1/pipelines?sort=-name&limit=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(next["data"][0]["name"], "Line 3");
    let found = owner.get_json("/api/v1/pipelines?q=line 4").await;
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
}
api_test!(pipeline_list_uses_fixed_queries);

async fn pipeline_access_rules(app: &TestApp) {
    let owner = app.signup("Access Co").await;
    let other = app.signup("Elsewhere Co").await;
    let created = create_pipeline(&owner, "Private").await;
    let path = format!("/api/v1/pipelines/{}", id(&created));

    assert_problem(other.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let response = other.patch(&path, &json!({ "name": "Stolen" })).await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(
        other.delete(&path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let member = json!({
        "name": "Rep",
        "email": "rep@access.example",
        "role": "rep",
        "password": dealbook_tests::PASSWORD,
    });
    owner.create("/api/v1/users", &member).await;
    let login = json!({ "email": "rep@access.example", "password": dealbook_tests::PASSWORD });
    let response = app
        .request(Method::POST, "/api/v1/auth/login", None, Some(&login))
        .await;
    let tokens: Value = response.json().await.unwrap();
    let rep = Session::from_tokens(app, &tokens, "rep@access.example".to_owned());
    let body = json!({ "name": "Mine", "stages": [stage("A", 1, "open"), stage("B", 100, "won")] });
    assert_problem(
        rep.post("/api/v1/pipelines", &body).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let response = rep.patch(&path, &json!({ "name": "Mine" })).await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(
        rep.get(&path).await.status(),
        StatusCode::OK,
        "members may read pipelines"
    );
}
api_test!(pipeline_access_rules);
