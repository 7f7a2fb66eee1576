use dealbook_tests::{TestApp, api_test, assert_problem, status_and_json};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn company_crud_round_trip(app: &TestApp) {
    let owner = app.signup("Crud Co").await;
    let body = json!({
        "name": "  Acme Corporation ",
        "industry": "technolgy",
        "country": "Philipines",
        "annual_revenue": { "amount": "1100040000.5", "currency": "USD" },
        "employees": 2822,
        "year_established": 1996,
    });
    let created = owner.create("/api/v1/companies", &body).await;
    let id = created["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(created["name"], "Acme Corporation");
    assert_eq!(
        created["industry"], "technolgy",
        "typos are kept as entered"
    );
    assert_eq!(created["annual_revenue"]["amount"], "1100040000.50");
    assert_eq!(created["version"], 1);

    let path = format!("/api/v1/companies/{id}");
    let response = owner.get(&path).await;
    assert_eq!(response.headers()["etag"], "\"1\"");

    let patched = owner
        .patch(&path, &json!({ "country": null, "employees": 3000 }))
        .await;
    let (status, patched) = status_and_json(patched).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["country"], serde_json::Value::Null);
    assert_eq!(patched["employees"], 3000);
    assert_eq!(
        patched["industry"], "technolgy",
        "fields absent from the patch stay"
    );
    assert_eq!(patched["version"], 2);

    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_problem(owner.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let listed = owner
        .get_json("/api/v1/companies?include_deleted=true")
        .await;
    assert_eq!(listed["data"][0]["id"], id.as_str());

    let restored = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_eq!(restored.status(), StatusCode::OK);
    assert_eq!(owner.get(&path).await.status(), StatusCode::OK);
    let again = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_problem(again, StatusCode::CONFLICT, "not_deleted").await;
}
api_test!(company_crud_round_trip);

async fn other_organization_gets_404(app: &TestApp) {
    let alice = app.signup("Alice Org").await;
    let bob = app.signup("Bob Org").await;
    let created = alice
        .create("/api/v1/companies", &json!({ "name": "Secret Client" }))
        .await;
    let path = format!(
        "/api/v1/companies/{}",
        created["id"].as_str().unwrap_or_default()
    );

    assert_problem(bob.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let patch = bob.patch(&path, &json!({ "name": "Stolen" })).await;
    assert_problem(patch, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(bob.delete(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let listed = bob.get_json("/api/v1/companies?with_total=true").await;
    assert_eq!(listed["total"], 0);

    let body = json!({ "name": "Child", "parent_id": created["id"] });
    let response = bob.post("/api/v1/companies", &body).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "parent_id");
    assert_eq!(alice.get_json(&path).await["name"], "Secret Client");
}
api_test!(other_organization_gets_404);

async fn stale_if_match_gets_412(app: &TestApp) {
    let owner = app.signup("Concurrency Co").await;
    let created = owner
        .create("/api/v1/companies", &json!({ "name": "Versioned" }))
        .await;
    let path = format!(
        "/api/v1/companies/{}",
        created["id"].as_str().unwrap_or_default()
    );
    let body = json!({ "name": "First edit" });
    let first = owner
        .send_with_headers(Method::PATCH, &path, Some(&body), &[("If-Match", "\"1\"")])
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["etag"], "\"2\"");

    let body = json!({ "name": "Second edit from a stale copy" });
    let stale = owner
        .send_with_headers(Method::PATCH, &path, Some(&body), &[("If-Match", "\"1\"")])
        .await;
    assert_problem(stale, StatusCode::PRECONDITION_FAILED, "stale_version").await;
    let stale_delete = owner
        .send_with_headers(Method::DELETE, &path, None, &[("If-Match", "\"1\"")])
        .await;
    assert_problem(
        stale_delete,
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;
    assert_eq!(owner.get_json(&path).await["name"], "First edit");
}
api_test!(stale_if_match_gets_412);

async fn idempotency_key_replays_create(app: &TestApp) {
    let owner = app.signup("Retry Co").await;
    let body = json!({ "name": "Created once" });
    let headers = [("Idempotency-Key", "b7c1e0d4-retry-1")];
    let first = owner
        .send_with_headers(Method::POST, "/api/v1/companies", Some(&body), &headers)
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first_location = first.headers()["location"].clone();
    let first: serde_json::Value = first.json().await.unwrap_or_default();

    let replay = owner
        .send_with_headers(Method::POST, "/api/v1/companies", Some(&body), &headers)
        .await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.headers()["location"], first_location);
    let replay: serde_json::Value = replay.json().await.unwrap_or_default();
    assert_eq!(replay, first);

    let listed = owner.get_json("/api/v1/companies?with_total=true").await;
    assert_eq!(listed["total"], 1, "the retry created nothing");

    let other_body = json!({ "name": "A different request" });
    let reused = owner
        .send_with_headers(
            Method::POST,
            "/api/v1/companies",
            Some(&other_body),
            &headers,
        )
        .await;
    assert_problem(
        reused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}
api_test!(idempotency_key_replays_create);

async fn failed_create_frees_idempotency_key(app: &TestApp) {
    let owner = app.signup("Retry After Fix").await;
    let headers = [("Idempotency-Key", "fix-and-retry")];
    let bad = json!({ "name": "" });
    let response = owner
        .send_with_headers(Method::POST, "/api/v1/companies", Some(&bad), &headers)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let good = json!({ "name": "Fixed" });
    let response = owner
        .send_with_headers(Method::POST, "/api/v1/companies", Some(&good), &headers)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}
api_test!(failed_create_frees_idempotency_key);

async fn company_search_matches_name_and_phone(app: &TestApp) {
    let owner = app.signup("Search Co").await;
    owner
        .create(
            "/api/v1/companies",
            &json!({ "name": "Shanghai 50% Trading", "phone": "+86 21-5555-0100" }),
        )
        .await;
    owner
        .create("/api/v1/companies", &json!({ "name": "Beijing Tools" }))
        .await;
    let found = owner.get_json("/api/v1/companies?q=shanghai").await;
    assert_eq!(found["data"].as_array().map(Vec::len), Some(1));
    let found = owner.get_json("/api/v1/companies?q=55550100").await;
    assert_eq!(found["data"][0]["name"], "Shanghai 50% Trading");
    let found = owner.get_json("/api/v1/companies?q=50%25").await;
    assert_eq!(
        found["data"].as_array().map(Vec::len),
        Some(1),
        "% is matched literally"
    );
    let found = owner.get_json("/api/v1/companies?q=%25").await;
    assert_eq!(found["data"].as_array().map(Vec::len), Some(1));
}
api_test!(company_search_matches_name_and_phone);

async fn concurrent_writes_all_succeed(app: &TestApp) {
    let owner = app.signup("Busy Writers").await;
    let mut paths = Vec::new();
    for index in 0..10 {
        let created = owner
            .create("/api/v1/companies", &json!({ "name": format!("C{index}") }))
            .await;
        paths.push(format!(
            "/api/v1/companies/{}",
            created["id"].as_str().unwrap_or_default()
        ));
    }
    let patches = paths.iter().enumerate().map(|(index, path)| {
        let body = json!({ "name": format!("Renamed {index}") });
        let owner = &owner;
        async move { owner.patch(path, &body).await.status() }
    });
    let statuses = futures_util::future::join_all(patches).await;
    assert!(
        statuses.iter().all(|status| *status == StatusCode::OK),
        "{statuses:?}"
    );

    let same = paths[0].clone();
    let racing = (0..8).map(|index| {
        let body = json!({ "name": format!("Race {index}") });
        let owner = &owner;
        let same = same.clone();
        async move {
            owner
                .send_with_headers(Method::PATCH, &same, Some(&body), &[("If-Match", "\"2\"")])
                .await
                .status()
        }
    });
    let statuses = futures_util::future::join_all(racing).await;
    let won = statuses
        .iter()
        .filter(|status| **status == StatusCode::OK)
        .count();
    let stale = statuses
        .iter()
        .filter(|status| **status == StatusCode::PRECONDITION_FAILED)
        .count();
    assert_eq!(won, 1, "{statuses:?}");
    assert_eq!(stale, 7, "{statuses:?}");
}
api_test!(concurrent_writes_all_succeed);
