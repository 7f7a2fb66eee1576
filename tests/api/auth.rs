use dealbook_tests::{PASSWORD, Session, TestApp, api_test, assert_problem, status_and_json};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let body = json!({ "email": email, "password": password });
    app.request(Method::POST, "/api/v1/auth/login", None, Some(&body))
        .await
}

async fn refresh(app: &TestApp, refresh_token: &str) -> reqwest::Response {
    let body = json!({ "refresh_token": refresh_token });
    app.request(Method::POST, "/api/v1/auth/refresh", None, Some(&body))
        .await
}

async fn signup_login_and_me(app: &TestApp) {
    let owner = app.signup("Northwind").await;
    let me = owner.get_json("/api/v1/me").await;
    assert_eq!(me["role"], "owner");
    assert_eq!(me["organization"]["name"], "Northwind");
    assert_eq!(me["organization"]["base_currency"], "USD");

    let (status, tokens) =
        status_and_json(login(app, &owner.email.to_uppercase(), PASSWORD).await).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "login with an upper-case e-mail: {tokens}"
    );
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let session = Session::from_tokens(app, &tokens, owner.email.clone());
    assert_eq!(session.user_id, owner.user_id);
}
api_test!(signup_login_and_me);

async fn signup_creates_default_pipeline(app: &TestApp) {
    let owner = app.signup("Pipeline Co").await;
    let pipelines = owner.get_json("/api/v1/pipelines").await;
    let stages = &pipelines["data"][0]["stages"];
    let names: Vec<&str> = stages
        .as_array()
        .map(|stages| {
            stages
                .iter()
                .filter_map(|stage| stage["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        names,
        [
            "Lead",
            "Qualified",
            "Proposal",
            "Negotiation",
            "Won",
            "Lost"
        ]
    );
}
api_test!(signup_creates_default_pipeline);

async fn login_rejects_wrong_password(app: &TestApp) {
    let owner = app.signup("Wrong Password Inc").await;
    let response = login(app, &owner.email, "not the password").await;
    assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let response = login(app, "nobody@example.com", PASSWORD).await;
    assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
}
api_test!(login_rejects_wrong_password);

async fn signup_rejects_taken_email(app: &TestApp) {
    let owner = app.signup("First").await;
    let body = json!({
        "organization_name": "Second",
        "name": "Someone",
        "email": owner.email,
        "password": PASSWORD,
    });
    let response = app
        .request(Method::POST, "/api/v1/auth/signup", None, Some(&body))
        .await;
    assert_problem(response, StatusCode::CONFLICT, "email_taken").await;
}
api_test!(signup_rejects_taken_email);

async fn signup_reports_each_invalid_field(app: &TestApp) {
    let body = json!({
        "organization_name": "",
        "name": "Li Wei",
        "email": "not-an-email",
        "password": "short",
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
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|error| error["field"].as_str())
                .collect()
        })
        .unwrap_or_default();
    fields.sort_unstable();
    assert_eq!(fields, ["email", "organization_name", "password"]);
}
api_test!(signup_reports_each_invalid_field);

async fn refresh_rotates_tokens(app: &TestApp) {
    let owner = app.signup("Rotation Ltd").await;
    let (status, first) = status_and_json(refresh(app, &owner.refresh_token).await).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_ne!(first["refresh_token"], owner.refresh_token.as_str());
    let next = first["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (status, second) = status_and_json(refresh(app, &next).await).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let access = second["access_token"].as_str().unwrap_or_default();
    let response = app
        .request(Method::GET, "/api/v1/me", Some(access), None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}
api_test!(refresh_rotates_tokens);

async fn refresh_reuse_revokes_family(app: &TestApp) {
    let owner = app.signup("Reuse Corp").await;
    let (_, rotated) = status_and_json(refresh(app, &owner.refresh_token).await).await;
    let current = rotated["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let reused = refresh(app, &owner.refresh_token).await;
    assert_problem(reused, StatusCode::UNAUTHORIZED, "refresh_token_reused").await;
    // The thief's reuse also ends the legitimate holder's newer token.
    let after = refresh(app, &current).await;
    assert_problem(after, StatusCode::UNAUTHORIZED, "refresh_token_revoked").await;
}
api_test!(refresh_reuse_revokes_family);

async fn logout_revokes_refresh_token(app: &TestApp) {
    let owner = app.signup("Logout GmbH").await;
    let body = json!({ "refresh_token": owner.refresh_token });
    let response = app
        .request(Method::POST, "/api/v1/auth/logout", None, Some(&body))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = refresh(app, &owner.refresh_token).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
api_test!(logout_revokes_refresh_token);

async fn requests_without_token_are_rejected(app: &TestApp) {
    let response = app
        .request(Method::GET, "/api/v1/companies", None, None)
        .await;
    assert_problem(response, StatusCode::UNAUTHORIZED, "missing_token").await;
    let response = app
        .request(Method::GET, "/api/v1/companies", Some("not.a.jwt"), None)
        .await;
    assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
}
api_test!(requests_without_token_are_rejected);

async fn role_change_applies_at_once(app: &TestApp) {
    let owner = app.signup("Role Change Co").await;
    let email = format!("admin-{}@example.com", uuid::Uuid::now_v7().simple());
    let body = json!({ "name": "Admin", "email": email, "role": "admin", "password": PASSWORD });
    let admin_user = owner.create("/api/v1/users", &body).await;
    let (_, tokens) = status_and_json(login(app, &email, PASSWORD).await).await;
    let admin = Session::from_tokens(app, &tokens, email.clone());
    let company = json!({ "name": "Written by the admin" });
    assert_eq!(
        admin.post("/api/v1/companies", &company).await.status(),
        StatusCode::CREATED
    );

    let user_path = format!(
        "/api/v1/users/{}",
        admin_user["id"].as_str().unwrap_or_default()
    );
    let demoted = owner.patch(&user_path, &json!({ "role": "viewer" })).await;
    assert_eq!(demoted.status(), StatusCode::OK);
    let response = admin.post("/api/v1/companies", &company).await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;

    assert_eq!(
        owner.delete(&user_path).await.status(),
        StatusCode::NO_CONTENT
    );
    let response = admin.get("/api/v1/companies").await;
    assert_problem(response, StatusCode::UNAUTHORIZED, "membership_ended").await;
}
api_test!(role_change_applies_at_once);
