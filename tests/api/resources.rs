//! Checks that hold for every resource: another organization's record returns 404 exactly
//! like a missing one, viewers cannot write, a stale If-Match gets 412, and a list costs the
//! same number of SQL statements whatever its page size.

use dealbook_tests::{Session, TestApp, api_test, assert_problem};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A resource path and a valid body for creating one, given the ids of records it links to.
struct Resource {
    path: &'static str,
    body: Value,
    patch: Value,
}

fn id(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

/// Creates the records that other bodies link to and returns one body per resource.
async fn resources(owner: &Session<'_>) -> Vec<Resource> {
    let company = owner
        .create("/api/v1/companies", &json!({ "name": "Linked Co" }))
        .await;
    let pipelines = owner.get_json("/api/v1/pipelines").await;
    let pipeline_id = pipelines["data"][0]["id"].clone();
    vec![
        Resource {
            path: "/api/v1/companies",
            body: json!({ "name": "Acme" }),
            patch: json!({ "name": "Acme 2" }),
        },
        Resource {
            path: "/api/v1/contacts",
            body: json!({ "first_name": "Wei", "last_name": "Li", "company_id": company["id"] }),
            patch: json!({ "title": "Buyer" }),
        },
        Resource {
            path: "/api/v1/leads",
            body: json!({ "name": "Zhang San", "company_name": "Hangzhou Tea", "source": "web" }),
            patch: json!({ "status": "working" }),
        },
        Resource {
            path: "/api/v1/products",
            body: json!({ "name": "GTX Basic", "product_line": "GTX", "list_price": { "amount": "550", "currency": "USD" } }),
            patch: json!({ "active": false }),
        },
        Resource {
            path: "/api/v1/teams",
            body: json!({ "name": "East", "region": "East" }),
            patch: json!({ "region": "North-East" }),
        },
        Resource {
            path: "/api/v1/pipelines",
            body: json!({ "name": "Renewals", "stages": [
                { "name": "Open", "probability": 50, "kind": "open" },
                { "name": "Won", "probability": 100, "kind": "won" },
            ] }),
            patch: json!({ "name": "Renewals 2027" }),
        },
        Resource {
            path: "/api/v1/deals",
            body: json!({ "name": "Tea shop fit-out", "pipeline_id": pipeline_id, "amount": { "amount": "1200.50", "currency": "USD" } }),
            patch: json!({ "next_step": "Send the quote" }),
        },
        Resource {
            path: "/api/v1/activities",
            body: json!({ "kind": "call", "subject": "Intro call", "company_id": company["id"] }),
            patch: json!({ "subject": "Intro call, 20 minutes" }),
        },
        Resource {
            path: "/api/v1/tasks",
            body: json!({ "title": "Call back", "company_id": company["id"] }),
            patch: json!({ "done": true }),
        },
        Resource {
            path: "/api/v1/users",
            body: json!({ "name": "Rep One", "email": format!("rep-{}@example.com", uuid::Uuid::now_v7().simple()), "role": "rep" }),
            patch: json!({ "title": "Account executive" }),
        },
    ]
}

async fn other_organization_sees_404_everywhere(app: &TestApp) {
    let alice = app.signup("Alice Holdings").await;
    let bob = app.signup("Bob Trading").await;
    for resource in resources(&alice).await {
        let record = alice.create(resource.path, &resource.body).await;
        let path = format!("{}/{}", resource.path, id(&record));
        let missing = format!("{}/{}", resource.path, uuid::Uuid::now_v7());

        for target in [&path, &missing] {
            let what = format!("{} as another organization", target);
            let response = bob.get(target).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "GET {what}");
            let body: Value = response.json().await.unwrap_or_default();
            assert_eq!(body["code"], "not_found", "GET {what}");
            let response = bob.patch(target, &resource.patch).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "PATCH {what}");
            let response = bob.delete(target).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "DELETE {what}");
            let response = bob.post(&format!("{target}/restore"), &json!({})).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "restore {what}");
        }
        let listed = bob.get_json(&format!("{}?limit=200", resource.path)).await;
        let ids: Vec<&str> = listed["data"]
            .as_array()
            .map(|rows| rows.iter().filter_map(|row| row["id"].as_str()).collect())
            .unwrap_or_default();
        assert!(
            !ids.contains(&id(&record).as_str()),
            "{} list leaks across organizations",
            resource.path
        );
        assert_eq!(
            alice.get(&path).await.status(),
            StatusCode::OK,
            "{path} is unchanged for its owner"
        );
    }
}
api_test!(other_organization_sees_404_everywhere);

async fn stale_version_is_refused_everywhere(app: &TestApp) {
    let owner = app.signup("Versions Everywhere").await;
    for resource in resources(&owner).await {
        let record = owner.create(resource.path, &resource.body).await;
        let path = format!("{}/{}", resource.path, id(&record));
        let version = record["version"].as_i64().unwrap_or_default();
        let stale = format!("\"{}\"", version + 5);
        let response = owner
            .send_with_headers(
                Method::PATCH,
                &path,
                Some(&resource.patch),
                &[("If-Match", &stale)],
            )
            .await;
        assert_problem(response, StatusCode::PRECONDITION_FAILED, "stale_version").await;
        let current = format!("\"{version}\"");
        let response = owner
            .send_with_headers(
                Method::PATCH,
                &path,
                Some(&resource.patch),
                &[("If-Match", &current)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "PATCH {path} at the current version"
        );
        assert_eq!(
            response.headers()["etag"],
            format!("\"{}\"", version + 1).as_str(),
            "{path}"
        );
    }
}
api_test!(stale_version_is_refused_everywhere);

async fn viewer_cannot_write(app: &TestApp) {
    let owner = app.signup("Read Only Co").await;
    let email = format!("viewer-{}@example.com", uuid::Uuid::now_v7().simple());
    let password = "viewer password 123";
    let body = json!({ "name": "Viewer", "email": email, "role": "viewer", "password": password });
    owner.create("/api/v1/users", &body).await;
    let login = json!({ "email": email, "password": password });
    let response = app
        .request(Method::POST, "/api/v1/auth/login", None, Some(&login))
        .await;
    let tokens: Value = response.json().await.unwrap_or_default();
    let viewer = Session::from_tokens(app, &tokens, email.clone());

    for resource in resources(&owner).await {
        let record = owner.create(resource.path, &resource.body).await;
        let path = format!("{}/{}", resource.path, id(&record));
        assert_eq!(
            viewer.get(&path).await.status(),
            StatusCode::OK,
            "viewers read {path}"
        );
        let response = viewer.post(resource.path, &resource.body).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        let response = viewer.patch(&path, &resource.patch).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        let response = viewer.delete(&path).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
}
api_test!(viewer_cannot_write);

async fn every_list_has_fixed_query_count(app: &TestApp) {
    let owner = app.signup("Fixed Queries").await;
    let resources = resources(&owner).await;
    for resource in &resources {
        for index in 0..6 {
            let mut body = resource.body.clone();
            if resource.path == "/api/v1/users" {
                body["email"] = json!(format!("u-{}@example.com", uuid::Uuid::now_v7().simple()));
            }
            if let Some(name) = body["name"].as_str() {
                body["name"] = json!(format!("{name} {index}"));
            }
            owner.create(resource.path, &body).await;
        }
    }
    for resource in &resources {
        let small_path = format!("{}?limit=1", resource.path);
        let large_path = format!("{}?limit=200", resource.path);
        let (small, _) = app.count_statements(owner.get(&small_path)).await;
        let (large, response) = app.count_statements(owner.get(&large_path)).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", resource.path);
        assert_eq!(
            small, large,
            "{}: statements depend on the page size",
            resource.path
        );
    }
}
api_test!(every_list_has_fixed_query_count);
