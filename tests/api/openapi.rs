//! The committed OpenAPI document matches the one the server builds and serves.

use dealbook_tests::{Backend, TestApp};

fn committed_document() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let text =
        std::fs::read_to_string(path).expect("openapi/openapi.json must exist: run make openapi");
    serde_json::from_str(&text).expect("openapi/openapi.json must be JSON")
}

#[test]
fn committed_spec_matches_generated() {
    let generated = serde_json::to_value(dealbook_http::openapi_document()).unwrap();
    assert!(
        committed_document() == generated,
        "openapi/openapi.json is out of date: run `make openapi` and commit the result"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_spec_matches_committed() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let served: serde_json::Value = app
        .client
        .get(format!("{}/api/v1/openapi.json", app.base_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        served == committed_document(),
        "the served spec differs from openapi/openapi.json"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docs_page_is_served_offline() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let page = app
        .client
        .get(format!("{}/api/docs/", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("https://"),
        "the docs page loads nothing from other hosts"
    );
    let bundle = app
        .client
        .get(format!("{}/api/docs/swagger-ui-bundle.js", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(bundle.status(), reqwest::StatusCode::OK);
}

#[test]
fn every_operation_is_documented() {
    let document = serde_json::to_value(dealbook_http::openapi_document()).unwrap();
    let paths = document["paths"].as_object().unwrap();
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            let name = format!("{method} {path}");
            assert!(
                operation["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{name} has a summary"
            );
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|code| code.starts_with('2')),
                "{name} documents a success"
            );
            let protected = operation.get("security").is_some();
            if protected || method != "get" {
                assert!(
                    responses.keys().any(|code| code.starts_with('4')),
                    "{name} documents its errors"
                );
            }
        }
    }
}
