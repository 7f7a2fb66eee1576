//! `/products`: catalogue entries with a list price in one currency.

use dealbook_tests::{TestApp, api_test, assert_problem, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn id(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|error| error["field"].as_str())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

async fn product_crud_round_trip(app: &TestApp) {
    let owner = app.signup("Catalogue Co").await;
    let body = json!({
        "name": " GTX 9000 ",
        "product_line": "GTX",
        "sku": "GTX-9000",
        "list_price": { "amount": "12500.5", "currency": "USD" },
    });
    let created = owner.create("/api/v1/products", &body).await;
    assert_eq!(created["name"], "GTX 9000");
    assert_eq!(
        created["list_price"]["amount"], "12500.50",
        "amount at the currency's scale"
    );
    assert_eq!(created["list_price"]["currency"], "USD");
    assert_eq!(created["active"], true, "active by default");

    let path = format!("/api/v1/products/{}", id(&created));
    let body = json!({
        "list_price": { "amount": "98000", "currency": "JPY" },
        "active": false,
        "sku": null,
    });
    let (status, patched) = status_and_json(owner.patch(&path, &body).await).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["list_price"]["amount"], "98000");
    assert_eq!(patched["list_price"]["currency"], "JPY");
    assert_eq!(patched["active"], false);
    assert_eq!(patched["sku"], Value::Null);
    assert_eq!(patched["product_line"], "GTX", "absent fields stay");
    assert_eq!(patched["version"], 2);

    for body in [
        json!({ "list_price": null }),
        json!({ "active": null }),
        json!({ "name": "" }),
    ] {
        let response = owner.patch(&path, &body).await;
        assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }

    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_problem(owner.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let restored = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_eq!(restored.status(), StatusCode::OK);
}
api_test!(product_crud_round_trip);

async fn product_input_is_validated(app: &TestApp) {
    let owner = app.signup("Price Co").await;
    let cases = [
        (json!({ "name": "A" }), "list_price"),
        (
            json!({ "name": "A", "list_price": { "amount": "1.001", "currency": "USD" } }),
            "list_price.amount",
        ),
        (
            json!({ "name": "A", "list_price": { "amount": "1", "currency": "usd" } }),
            "list_price.currency",
        ),
        (
            json!({ "name": "A", "list_price": { "amount": 1.5, "currency": "USD" } }),
            "list_price.amount",
        ),
        (
            json!({ "name": "  ", "list_price": { "amount": "1", "currency": "USD" } }),
            "name",
        ),
        (
            json!({
                "name": "A",
                "list_price": { "amount": "1", "currency": "USD" },
                "active": "yes",
            }),
            "active",
        ),
        (
            json!({ "name": "A", "list_price": { "amount": "1", "currency": "USD" }, "price": 1 }),
            "price",
        ),
    ];
    for (body, field) in cases {
        let response = owner.post("/api/v1/products", &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(
            error_fields(&problem).contains(&field.to_owned()),
            "{body}: {problem}"
        );
    }

    let first =
        json!({ "name": "A", "sku": "SKU-1", "list_price": { "amount": "1", "currency": "USD" } });
    let second =
        json!({ "name": "B", "sku": "SKU-2", "list_price": { "amount": "2", "currency": "USD" } });
    owner.create("/api/v1/products", &first).await;
    let created = owner.create("/api/v1/products", &second).await;
    let duplicate = owner.post("/api/v1/products", &first).await;
    assert_problem(duplicate, StatusCode::CONFLICT, "sku_taken").await;
    let path = format!("/api/v1/products/{}", id(&created));
    let response = owner.patch(&path, &json!({ "sku": "SKU-1" })).await;
    assert_problem(response, StatusCode::CONFLICT, "sku_taken").await;
    let response = owner
        .patch(&path, &json!({ "sku": "SKU-2", "name": "B2" }))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "a product keeps its own SKU"
    );
}
api_test!(product_input_is_validated);

async fn product_list_filters_and_sorts(app: &TestApp) {
    let owner = app.signup("Shelf Co").await;
    let rows = [
        ("Cable", "ACC", "10.00", true),
        ("Controller", "GTX", "900.00", true),
        ("Sensor", "GTX", "45.50", false),
        ("Legacy box", "OLD", "5.00", false),
    ];
    for (name, line, amount, active) in rows {
        let body = json!({
            "name": name,
            "product_line": line,
            "sku": format!("{name}-1"),
            "list_price": { "amount": amount, "currency": "USD" },
            "active": active,
        });
        owner.create("/api/v1/products", &body).await;
    }
    let names = |page: &Value| -> Vec<String> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|row| row["name"].as_str())
            .map(str::to_owned)
            .collect()
    };
    let by_price = owner.get_json("/api/v1/products?sort=-list_price").await;
    assert_eq!(
        names(&by_price),
        ["Controller", "Sensor", "Cable", "Legacy box"]
    );
    let gtx = owner.get_json("/api/v1/products?product_line=GTX").await;
    assert_eq!(names(&gtx), ["Controller", "Sensor"]);
    let active = owner.get_json("/api/v1/products?active=true").await;
    assert_eq!(names(&active), ["Cable", "Controller"]);
    let by_sku = owner.get_json("/api/v1/products?q=sensor-1").await;
    assert_eq!(names(&by_sku), ["Sensor"]);

    let first = owner
        .get_json("/api/v1/products?limit=3&sort=product_line")
        .await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = owner
        .get_json(&format!(
            "/api/v1/products?limit=3&sort=product_line&cursor={cursor}"
        ))
        .await;
    assert_eq!(names(&second), ["Legacy box"]);
    assert!(second["next_cursor"].is_null());
    let mismatched = owner
        .get(&format!("/api/v1/products?limit=3&cursor={cursor}"))
        .await;
    assert_problem(
        mismatched,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let bad = owner.get("/api/v1/products?active=maybe").await;
    assert_problem(bad, StatusCode::BAD_REQUEST, "invalid_query").await;
}
api_test!(product_list_filters_and_sorts);

async fn product_writes_need_admin(app: &TestApp) {
    let owner = app.signup("Admin Shelf").await;
    let other = app.signup("Other Shelf").await;
    let body = json!({ "name": "A", "list_price": { "amount": "1", "currency": "EUR" } });
    let created = owner.create("/api/v1/products", &body).await;
    let path = format!("/api/v1/products/{}", id(&created));

    let member = json!({
        "name": "Rep",
        "email": "rep@shelf.example",
        "role": "rep",
        "password": dealbook_tests::PASSWORD,
    });
    owner.create("/api/v1/users", &member).await;
    let login = json!({ "email": "rep@shelf.example", "password": dealbook_tests::PASSWORD });
    let response = app
        .request(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&login),
        )
        .await;
    let tokens: Value = response.json().await.unwrap();
    let rep = dealbook_tests::Session::from_tokens(app, &tokens, "rep@shelf.example".to_owned());

    assert_problem(
        rep.post("/api/v1/products", &body).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let response = rep.patch(&path, &json!({ "active": false })).await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(rep.delete(&path).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(
        rep.get(&path).await.status(),
        StatusCode::OK,
        "members may read products"
    );

    assert_problem(other.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let response = other.patch(&path, &json!({ "name": "Stolen" })).await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
}
api_test!(product_writes_need_admin);
