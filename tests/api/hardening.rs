//! Hostile input found by trying the API as an attacker would: each case is rejected with a
//! clear problem, or handled, on both databases.

use dealbook_tests::{Backend, PASSWORD, TestApp, api_test, assert_problem};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn unknown_time_zone_is_rejected(app: &TestApp) {
    for zone in ["Mars/Olympus", "//"] {
        let body = json!({
            "organization_name": "Zone Co",
            "name": "Z",
            "email": format!("zone-{}@example.com", uuid::Uuid::now_v7().simple()),
            "password": PASSWORD,
            "time_zone": zone,
        });
        let response = app
            .request(Method::POST, "/api/v1/auth/signup", None, Some(&body))
            .await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "time_zone", "{zone}");
    }
}
api_test!(unknown_time_zone_is_rejected);

async fn negative_money_is_rejected(app: &TestApp) {
    let owner = app.signup("Negative Co").await;
    let body = json!({ "name": "Refund", "list_price": { "amount": "-1", "currency": "USD" } });
    let response = owner.post("/api/v1/products", &body).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "list_price.amount");
    assert_eq!(problem["errors"][0]["code"], "negative_amount");
}
api_test!(negative_money_is_rejected);

async fn refresh_after_logout_is_revoked(app: &TestApp) {
    let owner = app.signup("Revoked Co").await;
    let body = json!({ "refresh_token": owner.refresh_token });
    app.request(Method::POST, "/api/v1/auth/logout", None, Some(&body))
        .await;
    let response = app
        .request(Method::POST, "/api/v1/auth/refresh", None, Some(&body))
        .await;
    assert_problem(response, StatusCode::UNAUTHORIZED, "refresh_token_revoked").await;
}
api_test!(refresh_after_logout_is_revoked);

async fn nul_characters_are_rejected(app: &TestApp) {
    let owner = app.signup("Nul Co").await;
    let response = owner
        .post("/api/v1/companies", &json!({ "name": "nul\u{0}co" }))
        .await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "name");
    assert_eq!(problem["errors"][0]["code"], "nul_character");
    let response = owner.get("/api/v1/deals?q=a%00b").await;
    assert_problem(response, StatusCode::BAD_REQUEST, "invalid_query").await;
    let listed = owner.get_json("/api/v1/companies?with_total=true").await;
    assert_eq!(listed["total"], 0);
}
api_test!(nul_characters_are_rejected);

async fn search_matches_non_ascii_text(app: &TestApp) {
    let owner = app.signup("Unicode Co").await;
    owner
        .create(
            "/api/v1/companies",
            &json!({ "name": "Überweisung Москва 上海贸易" }),
        )
        .await;
    for term in ["Überweisung", "Москва", "上海", "überweisung%20москва"] {
        let page = owner
            .get_json(&format!("/api/v1/companies?with_total=true&q={term}"))
            .await;
        let expected = match (term.starts_with('ü'), app.backend) {
            // SQLite folds the case of ASCII letters only.
            (true, Backend::Sqlite) => 0,
            _ => 1,
        };
        assert_eq!(page["total"], expected, "q={term}");
    }
}
api_test!(search_matches_non_ascii_text);

async fn docs_without_slash_redirects(app: &TestApp) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .get(format!("{}/api/docs", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(response.headers()["location"], "/api/docs/");
}
api_test!(docs_without_slash_redirects);

async fn parallel_signups_get_409(app: &TestApp) {
    let email = format!("race-{}@example.com", uuid::Uuid::now_v7().simple());
    let body =
        json!({ "organization_name": "Race", "name": "R", "email": email, "password": PASSWORD });
    let requests =
        (0..6).map(|_| app.request(Method::POST, "/api/v1/auth/signup", None, Some(&body)));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|response| response.status())
        .collect();
    let created = statuses
        .iter()
        .filter(|status| **status == StatusCode::CREATED)
        .count();
    let conflicts = statuses
        .iter()
        .filter(|status| **status == StatusCode::CONFLICT)
        .count();
    assert_eq!(created, 1, "{statuses:?}");
    assert_eq!(conflicts, 5, "{statuses:?}");
}
api_test!(parallel_signups_get_409);

async fn csv_export_neutralises_formulas(app: &TestApp) {
    let owner = app.signup("Csv Co").await;
    let pipelines = owner.get_json("/api/v1/pipelines").await;
    let pipeline_id = pipelines["data"][0]["id"].clone();
    let body = json!({
        "name": "csv", "pipeline_id": pipeline_id, "region": "=HYPERLINK(\"http://example.invalid\")",
        "amount": { "amount": "10", "currency": "USD" },
    });
    owner.create("/api/v1/deals", &body).await;
    let path = format!(
        "/api/v1/reports/breakdown?dimension=region&format=csv&pipeline_id={}",
        pipeline_id.as_str().unwrap_or_default()
    );
    let csv = owner.get(&path).await.text().await.unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.contains(",\"=HYPERLINK") && !csv.contains(",=HYPERLINK"),
        "{csv}"
    );
}
api_test!(csv_export_neutralises_formulas);

async fn close_dates_must_be_consistent(app: &TestApp) {
    let owner = app.signup("Close Dates Co").await;
    let pipelines = owner.get_json("/api/v1/pipelines").await;
    let pipeline = &pipelines["data"][0];
    let stage = |name: &str| {
        pipeline["stages"]
            .as_array()
            .and_then(|stages| stages.iter().find(|stage| stage["name"] == name))
            .map(|stage| stage["id"].clone())
            .unwrap_or_default()
    };
    let cases = [
        (
            stage("Won"),
            "2026-12-10",
            "2020-01-01",
            "before_engaged_on",
        ),
        (stage("Lead"), "2026-12-01", "2026-12-05", "not_closed"),
    ];
    for (stage_id, engaged_on, closed_on, code) in cases {
        let body = json!({
            "name": "time travel", "pipeline_id": pipeline["id"], "stage_id": stage_id,
            "engaged_on": engaged_on, "closed_on": closed_on,
        });
        let response = owner.post("/api/v1/deals", &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "closed_on", "{code}");
        assert_eq!(problem["errors"][0]["code"], code);
    }
    let body = json!({ "name": "won later", "pipeline_id": pipeline["id"], "stage_id": stage("Won"), "engaged_on": "2026-01-05" });
    let deal = owner.create("/api/v1/deals", &body).await;
    let path = format!("/api/v1/deals/{}", deal["id"].as_str().unwrap_or_default());
    let response = owner
        .patch(&path, &json!({ "closed_on": "2025-12-31" }))
        .await;
    assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let listed = owner.get_json("/api/v1/deals?with_total=true").await;
    assert_eq!(listed["total"], 1, "only the valid deal was written");
}
api_test!(close_dates_must_be_consistent);

async fn parallel_team_names_get_one_winner(app: &TestApp) {
    let owner = app.signup("Racing Teams").await;
    let body = json!({ "name": "Race Team", "region": "East" });
    let requests = (0..8).map(|_| owner.post("/api/v1/teams", &body));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|response| response.status())
        .collect();
    let created = statuses
        .iter()
        .filter(|status| **status == StatusCode::CREATED)
        .count();
    let conflicts = statuses
        .iter()
        .filter(|status| **status == StatusCode::CONFLICT)
        .count();
    assert_eq!(created, 1, "{statuses:?}");
    assert_eq!(conflicts, 7, "{statuses:?}");
}
api_test!(parallel_team_names_get_one_winner);

async fn restore_keeps_names_unique(app: &TestApp) {
    let owner = app.signup("Restore Names").await;
    let first = owner
        .create("/api/v1/teams", &json!({ "name": "Dup" }))
        .await;
    let path = format!("/api/v1/teams/{}", first["id"].as_str().unwrap_or_default());
    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    owner
        .create("/api/v1/teams", &json!({ "name": "dup" }))
        .await;
    let response = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(
        owner.get(&path).await.status(),
        StatusCode::NOT_FOUND,
        "the team stays deleted"
    );
}
api_test!(restore_keeps_names_unique);
