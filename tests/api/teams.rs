//! `/teams`: sales teams, their uniqueness rules and their member list.

use dealbook_tests::{TestApp, api_test, assert_problem, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn id(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

async fn team_crud_round_trip(app: &TestApp) {
    let owner = app.signup("Teams Co").await;
    let body = json!({ "name": " East China ", "manager_id": owner.user_id, "region": "Shanghai" });
    let created = owner.create("/api/v1/teams", &body).await;
    assert_eq!(created["name"], "East China");
    assert_eq!(created["manager_id"], owner.user_id.to_string());
    assert_eq!(created["region"], "Shanghai");
    assert_eq!(created["version"], 1);

    let duplicate = owner
        .post("/api/v1/teams", &json!({ "name": "EAST CHINA" }))
        .await;
    assert_problem(duplicate, StatusCode::CONFLICT, "team_name_taken").await;
    let stranger = json!({ "name": "West", "manager_id": uuid::Uuid::now_v7() });
    let response = owner.post("/api/v1/teams", &stranger).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "manager_id");

    let path = format!("/api/v1/teams/{}", id(&created));
    let response = owner
        .patch(&path, &json!({ "region": null, "name": "East" }))
        .await;
    let (status, patched) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["region"], Value::Null);
    assert_eq!(patched["name"], "East");
    assert_eq!(
        patched["manager_id"],
        owner.user_id.to_string(),
        "absent fields stay"
    );
    assert_eq!(patched["version"], 2);
    let response = owner.patch(&path, &json!({ "name": null })).await;
    assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_problem(owner.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let restored = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_eq!(restored.status(), StatusCode::OK);
}
api_test!(team_crud_round_trip);

async fn team_with_members_cannot_go(app: &TestApp) {
    let owner = app.signup("Members Co").await;
    let team = owner
        .create("/api/v1/teams", &json!({ "name": "North" }))
        .await;
    let team_path = format!("/api/v1/teams/{}", id(&team));
    let mut member_ids = Vec::new();
    for index in 0..3 {
        let body = json!({
            "name": format!("Rep {index}"),
            "email": format!("rep{index}@members.example"),
            "team_id": team["id"],
        });
        member_ids.push(id(&owner.create("/api/v1/users", &body).await));
    }
    owner
        .create(
            "/api/v1/users",
            &json!({ "name": "Loner", "email": "loner@members.example" }),
        )
        .await;

    let members = owner
        .get_json(&format!("{team_path}/members?with_total=true&limit=2"))
        .await;
    assert_eq!(members["total"], 3);
    assert_eq!(members["data"].as_array().unwrap().len(), 2);
    assert!(members["next_cursor"].is_string());
    assert_eq!(members["data"][0]["name"], "Rep 0", "sorted by name");

    let response = owner.delete(&team_path).await;
    let problem = assert_problem(response, StatusCode::CONFLICT, "team_in_use").await;
    assert!(
        problem["detail"].as_str().unwrap().contains('3'),
        "{problem}"
    );

    for member_id in &member_ids {
        let path = format!("/api/v1/users/{member_id}");
        let response = owner.patch(&path, &json!({ "team_id": null })).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(
        owner.delete(&team_path).await.status(),
        StatusCode::NO_CONTENT
    );
    let response = owner.get(&format!("{team_path}/members")).await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
}
api_test!(team_with_members_cannot_go);

async fn team_writes_need_admin(app: &TestApp) {
    let owner = app.signup("Rights Co").await;
    let team = owner
        .create("/api/v1/teams", &json!({ "name": "South" }))
        .await;
    let body = json!({
        "name": "Rep",
        "email": "rep@rights.example",
        "role": "manager",
        "password": dealbook_tests::PASSWORD,
    });
    owner.create("/api/v1/users", &body).await;
    let login = json!({ "email": "rep@rights.example", "password": dealbook_tests::PASSWORD });
    let response = app
        .request(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&login),
        )
        .await;
    let tokens: Value = response.json().await.unwrap();
    let manager =
        dealbook_tests::Session::from_tokens(app, &tokens, "rep@rights.example".to_owned());

    let path = format!("/api/v1/teams/{}", id(&team));
    let create = manager
        .post("/api/v1/teams", &json!({ "name": "Mine" }))
        .await;
    assert_problem(create, StatusCode::FORBIDDEN, "forbidden").await;
    let patch = manager.patch(&path, &json!({ "name": "Mine" })).await;
    assert_problem(patch, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(
        manager.delete(&path).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        manager.get(&path).await.status(),
        StatusCode::OK,
        "members may read teams"
    );
}
api_test!(team_writes_need_admin);

async fn team_list_filters(app: &TestApp) {
    let owner = app.signup("Filter Teams").await;
    let other = app.signup("Other Teams").await;
    for (name, region) in [("Alpha", "North"), ("Beta", "South"), ("Gamma", "North")] {
        owner
            .create("/api/v1/teams", &json!({ "name": name, "region": region }))
            .await;
    }
    other
        .create("/api/v1/teams", &json!({ "name": "Hidden" }))
        .await;

    let north = owner
        .get_json("/api/v1/teams?region=North&sort=-name")
        .await;
    let names: Vec<&str> = north["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|team| team["name"].as_str())
        .collect();
    assert_eq!(names, ["Gamma", "Alpha"]);
    let found = owner.get_json("/api/v1/teams?q=ET&with_total=true").await;
    assert_eq!(found["total"], 1, "q matches Beta ignoring case");
    let none = owner
        .get_json(&format!("/api/v1/teams?manager_id={}", owner.user_id))
        .await;
    assert_eq!(none["data"].as_array().unwrap().len(), 0);
    let all = owner.get_json("/api/v1/teams?with_total=true").await;
    assert_eq!(all["total"], 3, "another organization's team is not listed");
    let bad = owner.get("/api/v1/teams?sort=manager").await;
    assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}
api_test!(team_list_filters);
