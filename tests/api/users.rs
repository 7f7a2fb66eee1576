//! `/users`: members, their roles and the rules that protect the organization's owners.

use std::collections::HashSet;

use dealbook_tests::{PASSWORD, Session, TestApp, api_test, assert_problem, status_and_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn id(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

/// Adds a member with `role` and the shared test password, and signs in as them.
async fn add_member<'a>(owner: &Session<'a>, name: &str, role: &str) -> Session<'a> {
    let email = format!(
        "{}-{}@example.com",
        name.to_lowercase(),
        uuid::Uuid::now_v7().simple()
    );
    let body = json!({ "name": name, "email": email, "role": role, "password": PASSWORD });
    owner.create("/api/v1/users", &body).await;
    sign_in(owner.app, &email).await
}

async fn sign_in<'a>(app: &'a TestApp, email: &str) -> Session<'a> {
    let body = json!({ "email": email, "password": PASSWORD });
    let response = app
        .request(Method::POST, "/api/v1/auth/login", None, Some(&body))
        .await;
    let (status, tokens) = status_and_json(response).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "sign-in as {email} failed: {tokens}"
    );
    Session::from_tokens(app, &tokens, email.to_owned())
}

async fn user_crud_round_trip(app: &TestApp) {
    let owner = app.signup("Users Co").await;
    let team = owner
        .create("/api/v1/teams", &json!({ "name": "East" }))
        .await;
    let body = json!({
        "name": "  Li Wei ",
        "email": " Li.Wei@Example.COM ",
        "role": "manager",
        "team_id": team["id"],
        "title": "Regional manager",
        "password": PASSWORD,
        "time_zone": "Asia/Shanghai",
        "locale": "zh-CN",
    });
    let response = owner.post("/api/v1/users", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    let user_id = id(&created);
    assert_eq!(location, format!("/api/v1/users/{user_id}"));
    assert_eq!(created["name"], "Li Wei");
    assert_eq!(
        created["email"], "li.wei@example.com",
        "e-mail is lower-cased"
    );
    assert_eq!(created["role"], "manager");
    assert_eq!(created["team_id"], team["id"]);
    assert_eq!(created["time_zone"], "Asia/Shanghai");
    assert_eq!(created["locale"], "zh-CN");
    assert_eq!(created["version"], 1);
    assert!(created.get("password").is_none(), "no password in the body");
    assert!(
        created.get("password_hash").is_none(),
        "no hash in the body"
    );

    let member = sign_in(app, "li.wei@example.com").await;
    assert_eq!(
        member.user_id.to_string(),
        user_id,
        "user id is the account id"
    );

    let path = format!("/api/v1/users/{user_id}");
    let response = owner.get(&path).await;
    assert_eq!(response.headers()["etag"], "\"1\"");
    let patched = owner
        .patch(
            &path,
            &json!({ "title": null, "role": "rep", "name": "Wei Li" }),
        )
        .await;
    let (status, patched) = status_and_json(patched).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["title"], Value::Null);
    assert_eq!(patched["role"], "rep");
    assert_eq!(patched["name"], "Wei Li");
    assert_eq!(patched["team_id"], team["id"], "absent fields stay");
    assert_eq!(patched["version"], 2);

    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_problem(owner.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let listed = owner
        .get_json("/api/v1/users?include_deleted=true&q=wei")
        .await;
    assert_eq!(listed["data"][0]["id"], user_id.as_str());
    assert!(listed["data"][0]["deleted_at"].is_string());

    let restored = owner.post(&format!("{path}/restore"), &json!({})).await;
    let (status, restored) = status_and_json(restored).await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["deleted_at"], Value::Null);
    let again = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_problem(again, StatusCode::CONFLICT, "not_deleted").await;
}
api_test!(user_crud_round_trip);

async fn user_defaults_apply(app: &TestApp) {
    let owner = app.signup("Defaults Co").await;
    let created = owner
        .create(
            "/api/v1/users",
            &json!({ "name": "Sam", "email": "sam@defaults.example" }),
        )
        .await;
    assert_eq!(created["role"], "rep");
    assert_eq!(created["locale"], "en");
    assert_eq!(created["time_zone"], "UTC", "the organization's time zone");
    assert_eq!(created["team_id"], Value::Null);
}
api_test!(user_defaults_apply);

async fn user_email_taken(app: &TestApp) {
    let owner = app.signup("Email Co").await;
    let other = app.signup("Other Co").await;
    let body = json!({ "name": "Ann", "email": "ann@email.example" });
    let created = owner.create("/api/v1/users", &body).await;

    let same = json!({ "name": "Ann 2", "email": "ANN@email.example" });
    let response = owner.post("/api/v1/users", &same).await;
    assert_problem(response, StatusCode::CONFLICT, "email_taken").await;
    let response = other.post("/api/v1/users", &same).await;
    let problem = assert_problem(response, StatusCode::CONFLICT, "email_taken").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("not supported yet"),
        "{problem}"
    );

    let path = format!("/api/v1/users/{}", id(&created));
    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    let response = owner.post("/api/v1/users", &same).await;
    let problem = assert_problem(response, StatusCode::CONFLICT, "email_taken").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("/restore"),
        "a removed member is pointed at restore: {problem}"
    );
}
api_test!(user_email_taken);

async fn user_input_is_validated(app: &TestApp) {
    let owner = app.signup("Validation Co").await;
    let cases = [
        (json!({ "name": "A", "email": "not-an-address" }), "email"),
        (json!({ "name": " ", "email": "a@v.example" }), "name"),
        (
            json!({ "name": "A", "email": "a@v.example", "time_zone": "Mars" }),
            "time_zone",
        ),
        (
            json!({ "name": "A", "email": "a@v.example", "time_zone": "asia/shanghai" }),
            "time_zone",
        ),
        (
            json!({ "name": "A", "email": "a@v.example", "locale": "fr" }),
            "locale",
        ),
        (
            json!({ "name": "A", "email": "a@v.example", "password": "short" }),
            "password",
        ),
        (
            json!({ "name": "A", "email": "a@v.example", "role": "boss" }),
            "role",
        ),
        (
            json!({ "name": "A", "email": "a@v.example", "colour": "red" }),
            "colour",
        ),
        (json!({ "email": "a@v.example" }), "name"),
        (
            json!({ "name": "A", "email": "a@v.example", "team_id": uuid::Uuid::now_v7() }),
            "team_id",
        ),
    ];
    for (body, field) in cases {
        let response = owner.post("/api/v1/users", &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|error| error["field"].as_str())
            .collect();
        assert!(
            fields.contains(&field),
            "{body}: expected an error on {field}, got {problem}"
        );
    }
    let listed = owner.get_json("/api/v1/users?with_total=true").await;
    assert_eq!(listed["total"], 1, "no rejected request added a user");
}
api_test!(user_input_is_validated);

async fn member_edits_own_profile_only(app: &TestApp) {
    let owner = app.signup("Self Co").await;
    let viewer = add_member(&owner, "Val", "viewer").await;
    let rep = add_member(&owner, "Rita", "rep").await;
    let own_path = format!("/api/v1/users/{}", viewer.user_id);

    let body = json!({ "name": "Valerie", "locale": "zh-CN", "time_zone": "Europe/Berlin" });
    let (status, updated) = status_and_json(viewer.patch(&own_path, &body).await).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["locale"], "zh-CN");

    for body in [
        json!({ "role": "admin" }),
        json!({ "title": "Boss" }),
        json!({ "team_id": null }),
    ] {
        let response = viewer.patch(&own_path, &body).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let rep_path = format!("/api/v1/users/{}", rep.user_id);
    let response = viewer.patch(&rep_path, &json!({ "name": "X" })).await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    let body = json!({ "name": "New", "email": "new@self.example" });
    assert_problem(
        rep.post("/api/v1/users", &body).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        rep.delete(&own_path).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}
api_test!(member_edits_own_profile_only);

async fn admin_cannot_touch_owners(app: &TestApp) {
    let owner = app.signup("Admin Co").await;
    let admin = add_member(&owner, "Ann", "admin").await;
    let rep = add_member(&owner, "Rob", "rep").await;
    let owner_path = format!("/api/v1/users/{}", owner.user_id);
    let rep_path = format!("/api/v1/users/{}", rep.user_id);

    let response = admin.patch(&rep_path, &json!({ "role": "owner" })).await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    let body = json!({ "name": "O2", "email": "o2@admin.example", "role": "owner" });
    let response = admin.post("/api/v1/users", &body).await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    let response = admin
        .patch(&owner_path, &json!({ "name": "Renamed" }))
        .await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(
        admin.delete(&owner_path).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let (status, body) =
        status_and_json(admin.patch(&rep_path, &json!({ "role": "manager" })).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        admin.delete(&rep_path).await.status(),
        StatusCode::NO_CONTENT
    );
}
api_test!(admin_cannot_touch_owners);

async fn last_owner_is_protected(app: &TestApp) {
    let owner = app.signup("Owner Co").await;
    let own_path = format!("/api/v1/users/{}", owner.user_id);
    let response = owner.patch(&own_path, &json!({ "role": "admin" })).await;
    assert_problem(response, StatusCode::CONFLICT, "last_owner").await;
    let response = owner.delete(&own_path).await;
    assert_problem(response, StatusCode::CONFLICT, "cannot_remove_self").await;

    let second = add_member(&owner, "Olga", "admin").await;
    let second_path = format!("/api/v1/users/{}", second.user_id);
    let (status, body) =
        status_and_json(owner.patch(&second_path, &json!({ "role": "owner" })).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) =
        status_and_json(owner.patch(&own_path, &json!({ "role": "admin" })).await).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a second owner allows the demotion: {body}"
    );
    let response = second.patch(&second_path, &json!({ "role": "rep" })).await;
    assert_problem(response, StatusCode::CONFLICT, "last_owner").await;
}
api_test!(last_owner_is_protected);

async fn removed_member_loses_refresh(app: &TestApp) {
    let owner = app.signup("Removal Co").await;
    let rep = add_member(&owner, "Rex", "rep").await;
    let path = format!("/api/v1/users/{}", rep.user_id);
    let stale = owner
        .send_with_headers(Method::DELETE, &path, None, &[("If-Match", "\"9\"")])
        .await;
    assert_problem(stale, StatusCode::PRECONDITION_FAILED, "stale_version").await;
    let removed = owner
        .send_with_headers(Method::DELETE, &path, None, &[("If-Match", "\"1\"")])
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);

    let body = json!({ "refresh_token": rep.refresh_token });
    let response = app
        .request(Method::POST, "/api/v1/auth/refresh", None, Some(&body))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "refresh is revoked"
    );
}
api_test!(removed_member_loses_refresh);

async fn user_list_pages_and_filters(app: &TestApp) {
    let owner = app.signup("List Co").await;
    let team = owner
        .create("/api/v1/teams", &json!({ "name": "North" }))
        .await;
    for index in 0..9 {
        let body = json!({
            "name": format!("Member {}", index % 3),
            "email": format!("m{index}@list.example"),
            "role": if index % 2 == 0 { "rep" } else { "viewer" },
            "team_id": if index < 4 { team["id"].clone() } else { Value::Null },
        });
        owner.create("/api/v1/users", &body).await;
    }
    for sort in [
        "name",
        "-name",
        "email",
        "-email",
        "created_at",
        "-updated_at",
        "name,-email",
    ] {
        let full = owner
            .get_json(&format!("/api/v1/users?sort={sort}&limit=200"))
            .await;
        let expected: Vec<Value> = full["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].clone())
            .collect();
        let mut walked = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/users?sort={sort}&limit=2");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let page = owner.get_json(&path).await;
            walked.extend(
                page["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|row| row["id"].clone()),
            );
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
            assert!(
                walked.len() <= expected.len(),
                "sort {sort}: pagination must end"
            );
        }
        assert_eq!(
            walked, expected,
            "sort {sort}: pages list every row once, in order"
        );
    }

    let by_name = owner.get_json("/api/v1/users?sort=name&limit=200").await;
    let names: Vec<&str> = by_name["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row["name"].as_str())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sort=name orders by name");

    let reps = owner
        .get_json("/api/v1/users?role=rep&with_total=true")
        .await;
    assert_eq!(reps["total"], 5);
    let team_path = format!("/api/v1/users?team_id={}&with_total=true", id(&team));
    assert_eq!(owner.get_json(&team_path).await["total"], 4);
    let found = owner.get_json("/api/v1/users?q=M3@LIST").await;
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    let everyone = owner.get_json("/api/v1/users?limit=200").await;
    let ids: HashSet<&str> = everyone["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 10, "nine members and the owner");

    let bad = owner.get("/api/v1/users?sort=password").await;
    assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let bad = owner.get("/api/v1/users?cursor=bm90LWEtY3Vyc29y").await;
    assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(by_name["next_cursor"].is_null(), "ten rows fit on one page");
}
api_test!(user_list_pages_and_filters);

async fn other_organization_user_is_404(app: &TestApp) {
    let alice = app.signup("Alice Users").await;
    let bob = app.signup("Bob Users").await;
    let path = format!("/api/v1/users/{}", alice.user_id);
    assert_problem(bob.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let response = bob.patch(&path, &json!({ "name": "Stolen" })).await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(bob.delete(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let response = bob.post(&format!("{path}/restore"), &json!({})).await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    let listed = bob.get_json("/api/v1/users?with_total=true").await;
    assert_eq!(listed["total"], 1, "only Bob");
}
api_test!(other_organization_user_is_404);
