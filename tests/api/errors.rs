//! Bad input of every kind gets problem+json and writes nothing.

use dealbook_tests::{TestApp, api_test, assert_problem};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn company_count(app: &TestApp, token: &str) -> u64 {
    let response = app
        .request(
            Method::GET,
            "/api/v1/companies?with_total=true&include_deleted=true",
            Some(token),
            None,
        )
        .await;
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    body["total"].as_u64().unwrap_or(u64::MAX)
}

async fn raw_post(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/companies", app.base_url))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn bad_bodies_write_nothing(app: &TestApp) {
    let owner = app.signup("Bad Input Co").await;
    let token = owner.access_token.as_str();

    let response = raw_post(app, token, "application/json", b"{\"name\": ".to_vec()).await;
    assert_problem(response, StatusCode::BAD_REQUEST, "malformed_json").await;

    let response = raw_post(app, token, "application/json", Vec::new()).await;
    assert_problem(response, StatusCode::BAD_REQUEST, "malformed_json").await;

    let response = raw_post(app, token, "text/plain", b"name=Acme".to_vec()).await;
    assert_problem(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let response = raw_post(app, token, "application/json", huge.into_bytes()).await;
    assert_problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    let response = owner
        .post(
            "/api/v1/companies",
            &json!({ "name": "A", "colour": "red" }),
        )
        .await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "colour");

    let response = owner
        .post("/api/v1/companies", &json!({ "name": 42 }))
        .await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "name");

    let body =
        json!({ "name": "Money", "annual_revenue": { "amount": "10.001", "currency": "USD" } });
    let response = owner.post("/api/v1/companies", &body).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "annual_revenue.amount");

    let body = json!({ "name": "Money", "annual_revenue": { "amount": "10", "currency": "XYZ" } });
    let response = owner.post("/api/v1/companies", &body).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "annual_revenue.currency");

    let body = json!({ "name": "Money", "annual_revenue": { "amount": 10.5, "currency": "USD" } });
    let response = owner.post("/api/v1/companies", &body).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "annual_revenue.amount");

    assert_eq!(
        company_count(app, token).await,
        0,
        "no rejected request wrote a row"
    );
}
api_test!(bad_bodies_write_nothing);

async fn bad_queries_and_paths_are_problems(app: &TestApp) {
    let owner = app.signup("Bad Query Co").await;
    let response = owner.get("/api/v1/companies?limit=abc").await;
    assert_problem(response, StatusCode::BAD_REQUEST, "invalid_query").await;
    let response = owner.get("/api/v1/companies?limit=100000").await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "limit");
    let response = owner.get("/api/v1/companies?sort=password").await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "sort");
    let response = owner.get("/api/v1/companies?cursor=garbage!").await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "cursor");
    let response = owner.get("/api/v1/companies?updated_since=yesterday").await;
    assert_problem(response, StatusCode::BAD_REQUEST, "invalid_query").await;
    let response = owner.get("/api/v1/companies/not-a-uuid").await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = owner.get("/api/v1/no-such-resource").await;
    assert_problem(response, StatusCode::NOT_FOUND, "route_not_found").await;
    let response = owner.get("/api/v2/companies").await;
    assert_problem(response, StatusCode::NOT_FOUND, "route_not_found").await;
    let response = owner
        .send_with_headers(
            Method::PATCH,
            "/api/v1/companies/00000000-0000-0000-0000-000000000000",
            Some(&json!({})),
            &[("If-Match", "nonsense")],
        )
        .await;
    assert_problem(response, StatusCode::BAD_REQUEST, "invalid_if_match").await;
}
api_test!(bad_queries_and_paths_are_problems);

async fn query_errors_name_the_parameter(app: &TestApp) {
    let owner = app.signup("Query Names Co").await;
    let cases = [
        ("/api/v1/companies?updated_since=yesterday", "updated_since"),
        ("/api/v1/deals?owner_id=not-a-uuid", "owner_id"),
        ("/api/v1/tasks?done=perhaps", "done"),
        ("/api/v1/contacts?colour=red", "colour"),
    ];
    for (path, parameter) in cases {
        let response = owner.get(path).await;
        let problem = assert_problem(response, StatusCode::BAD_REQUEST, "invalid_query").await;
        let detail = problem["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(parameter), "{path}: {detail}");
    }
}
api_test!(query_errors_name_the_parameter);

async fn array_body_is_rejected(app: &TestApp) {
    let owner = app.signup("Array Body Co").await;
    let created = owner
        .create("/api/v1/companies", &json!({ "name": "Kept" }))
        .await;
    let path = format!(
        "/api/v1/companies/{}",
        created["id"].as_str().unwrap_or_default()
    );
    let response = owner.patch(&path, &json!([])).await;
    assert_problem(response, StatusCode::BAD_REQUEST, "body_not_object").await;
    assert_eq!(
        owner.get_json(&path).await["version"],
        1,
        "nothing was written"
    );
}
api_test!(array_body_is_rejected);

async fn wrong_method_gets_405(app: &TestApp) {
    let owner = app.signup("Methods Co").await;
    let id = uuid::Uuid::now_v7();
    let cases = [
        (Method::PUT, format!("/api/v1/deals/{id}"), "PATCH"),
        (Method::DELETE, "/api/v1/deals".to_owned(), "POST"),
        (Method::GET, "/api/v1/auth/login".to_owned(), "POST"),
    ];
    for (method, path, expected) in cases {
        let response = owner
            .send_with_headers(method.clone(), &path, None, &[])
            .await;
        let allow = response
            .headers()
            .get("allow")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(allow.contains(expected), "{method} {path}: Allow {allow:?}");
        assert_problem(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }
}
api_test!(wrong_method_gets_405);
