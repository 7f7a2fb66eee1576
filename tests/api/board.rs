//! The pipeline board: deal counts and per-currency totals per stage, its filters, and its
//! errors.

use dealbook_tests::{Session, TestApp, api_test, assert_problem, status_and_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Reads the id of the organization's first pipeline and its stage ids in order.
async fn first_pipeline(session: &Session<'_>) -> (String, Vec<String>) {
    let listed = session.get_json("/api/v1/pipelines").await;
    let pipeline = &listed["data"][0];
    let stages = pipeline["stages"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|stage| stage["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    (
        pipeline["id"].as_str().unwrap_or_default().to_owned(),
        stages,
    )
}

async fn create_deal(session: &Session<'_>, body: Value) -> Value {
    session.create("/api/v1/deals", &body).await
}

/// Returns the board column of `stage_id`.
fn column<'a>(board: &'a Value, stage_id: &str) -> &'a Value {
    board["stages"]
        .as_array()
        .and_then(|stages| stages.iter().find(|stage| stage["id"] == stage_id))
        .unwrap_or_else(|| panic!("the board has no stage {stage_id}: {board}"))
}

async fn board_counts_and_totals_per_currency(app: &TestApp) {
    let owner = app.signup("Board Totals").await;
    let (pipeline, stages) = first_pipeline(&owner).await;
    let (first, second) = (&stages[0], &stages[1]);
    for (name, amount) in [("A", "100.50"), ("B", "200.25"), ("C", "0.01")] {
        let body = json!({
            "name": name, "pipeline_id": pipeline, "stage_id": first,
            "amount": { "amount": amount, "currency": "USD" },
        });
        create_deal(&owner, body).await;
    }
    let euro = json!({
        "name": "D", "pipeline_id": pipeline, "stage_id": first,
        "amount": { "amount": "50", "currency": "EUR" }, "exchange_rate": "1.08",
    });
    create_deal(&owner, euro).await;
    let no_amount = json!({ "name": "E", "pipeline_id": pipeline, "stage_id": first });
    create_deal(&owner, no_amount).await;
    let yen = json!({
        "name": "F", "pipeline_id": pipeline, "stage_id": second,
        "amount": { "amount": "1500", "currency": "JPY" }, "exchange_rate": "0.0067",
    });
    create_deal(&owner, yen).await;

    let board = owner
        .get_json(&format!("/api/v1/pipelines/{pipeline}/board"))
        .await;
    assert_eq!(board["pipeline_id"], pipeline.as_str());
    let ids: Vec<&str> = board["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stage| stage["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, stages, "columns follow the stage order");

    let lead = column(&board, first);
    assert_eq!(lead["count"], 5, "deals without an amount are counted");
    assert_eq!(
        lead["totals"],
        json!([
            { "amount": "50.00", "currency": "EUR" },
            { "amount": "300.76", "currency": "USD" },
        ]),
        "one exact total per currency, ordered by code"
    );
    let next = column(&board, second);
    assert_eq!(next["count"], 1);
    assert_eq!(
        next["totals"],
        json!([{ "amount": "1500", "currency": "JPY" }])
    );
    let last = column(&board, &stages[stages.len() - 1]);
    assert_eq!(last["count"], 0);
    assert_eq!(last["totals"], json!([]));
    assert!(lead["name"].is_string());
    assert_eq!(lead["kind"], "open");
    assert_eq!(lead["position"], 0);
}
api_test!(board_counts_and_totals_per_currency);

async fn board_sums_large_amounts(app: &TestApp) {
    let owner = app.signup("Board Extremes").await;
    let (pipeline, stages) = first_pipeline(&owner).await;
    // Ten amounts near the 10^14 limit sum to more than i64::MAX ten-thousandths.
    let mut amounts = vec!["1.50", "3.25"];
    amounts.extend(["99999999999999.99"; 10]);
    for (index, amount) in amounts.into_iter().enumerate() {
        let body = json!({
            "name": format!("Deal {index}"), "pipeline_id": pipeline, "stage_id": stages[0],
            "amount": { "amount": amount, "currency": "USD" },
        });
        create_deal(&owner, body).await;
    }
    let board = owner
        .get_json(&format!("/api/v1/pipelines/{pipeline}/board"))
        .await;
    assert_eq!(
        column(&board, &stages[0])["totals"],
        json!([{ "amount": "1000000000000004.65", "currency": "USD" }]),
        "the sum is exact beyond 64 bits of ten-thousandths"
    );
}
api_test!(board_sums_large_amounts);

async fn board_filters_like_deal_list(app: &TestApp) {
    let owner = app.signup("Board Filters").await;
    let (pipeline, stages) = first_pipeline(&owner).await;
    let rep = owner
        .create(
            "/api/v1/users",
            &json!({ "name": "Rep", "email": format!("rep-{}@example.com", uuid::Uuid::now_v7().simple()), "role": "rep" }),
        )
        .await;
    let team = owner
        .create("/api/v1/teams", &json!({ "name": "North" }))
        .await;
    let deals = [
        json!({ "name": "Fleet renewal", "owner_id": rep["id"], "team_id": team["id"] }),
        json!({ "name": "Fleet expansion" }),
        json!({ "name": "Office chairs", "owner_id": rep["id"] }),
    ];
    for mut body in deals {
        body["pipeline_id"] = json!(pipeline);
        body["amount"] = json!({ "amount": "10", "currency": "USD" });
        create_deal(&owner, body).await;
    }
    let deleted = create_deal(
        &owner,
        json!({ "name": "Fleet deleted", "pipeline_id": pipeline }),
    )
    .await;
    let path = format!("/api/v1/deals/{}", deleted["id"].as_str().unwrap());
    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);

    let cases = [
        ("", 3, "every live deal"),
        ("?q=FLEET", 2, "text ignores case and skips deleted deals"),
        (
            &*format!("?owner_id={}", rep["id"].as_str().unwrap()),
            2,
            "owner",
        ),
        (
            &*format!("?team_id={}", team["id"].as_str().unwrap()),
            1,
            "team",
        ),
        (
            &*format!("?q=fleet&owner_id={}", rep["id"].as_str().unwrap()),
            1,
            "text and owner",
        ),
    ];
    for (query, expected, case) in cases {
        let board = owner
            .get_json(&format!("/api/v1/pipelines/{pipeline}/board{query}"))
            .await;
        let lead = column(&board, &stages[0]);
        assert_eq!(lead["count"], expected, "{case}");
        let listed = owner
            .get_json(&format!(
                "/api/v1/deals?with_total=true&stage_id={}{}",
                stages[0],
                query.replacen('?', "&", 1)
            ))
            .await;
        assert_eq!(listed["total"], expected, "the deal list agrees: {case}");
    }
}
api_test!(board_filters_like_deal_list);

async fn board_rejects_bad_requests(app: &TestApp) {
    let alice = app.signup("Board Alice").await;
    let bob = app.signup("Board Bob").await;
    let (pipeline, _) = first_pipeline(&alice).await;
    let path = format!("/api/v1/pipelines/{pipeline}/board");

    assert_problem(bob.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let missing = format!("/api/v1/pipelines/{}/board", uuid::Uuid::now_v7());
    assert_problem(
        alice.get(&missing).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let invalid = alice.get("/api/v1/pipelines/not-a-uuid/board").await;
    assert_problem(invalid, StatusCode::NOT_FOUND, "not_found").await;
    let response = alice.get(&format!("{path}?stage_id=x")).await;
    let (status, body) = status_and_json(response).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "unknown parameters are rejected: {body}"
    );
    let anonymous = app.request(Method::GET, &path, None, None).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
api_test!(board_rejects_bad_requests);

async fn board_statement_count_is_constant(app: &TestApp) {
    let owner = app.signup("Board Queries").await;
    let (pipeline, stages) = first_pipeline(&owner).await;
    let path = format!("/api/v1/pipelines/{pipeline}/board");
    let (empty, _) = app.count_statements(owner.get(&path)).await;
    for (index, stage) in stages.iter().enumerate() {
        let body = json!({
            "name": format!("Deal {index}"), "pipeline_id": pipeline, "stage_id": stage,
            "amount": { "amount": "1", "currency": "USD" },
        });
        create_deal(&owner, body).await;
    }
    let (full, response) = app.count_statements(owner.get(&path)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        full, empty,
        "the board runs the same queries however many deals it counts"
    );
}
api_test!(board_statement_count_is_constant);
