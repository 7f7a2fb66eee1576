//! Contacts: names, e-mail checks, company references, search and sorting.

use dealbook_tests::{Session, TestApp, api_test, assert_problem, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn id(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

fn field_names(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|error| error["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Returns `first last` of every contact in a list response, in order.
fn full_names(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| {
                    let first = row["first_name"].as_str().unwrap_or_default();
                    let last = row["last_name"].as_str().unwrap_or_default();
                    format!("{first} {last}").trim().to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn contact_crud_round_trip(app: &TestApp) {
    let owner = app.signup("Contact Crud").await;
    let company = owner
        .create("/api/v1/companies", &json!({ "name": "Globex" }))
        .await;
    let body = json!({
        "first_name": "  Wei ",
        "last_name": "Li",
        "email": " Li.Wei@Example.COM ",
        "phone": "+86 138-0013-8000",
        "title": "Head of Procurement",
        "company_id": company["id"],
        "owner_id": owner.user_id,
    });
    let created = owner.create("/api/v1/contacts", &body).await;
    assert_eq!(created["first_name"], "Wei");
    assert_eq!(created["email"], "Li.Wei@Example.COM", "case is kept");
    assert_eq!(created["company_id"], company["id"]);
    assert_eq!(created["version"], 1);

    let path = format!("/api/v1/contacts/{}", id(&created));
    let response = owner.get(&path).await;
    assert_eq!(response.headers()["etag"], "\"1\"");

    let response = owner
        .patch(&path, &json!({ "title": null, "first_name": null }))
        .await;
    let (status, patched) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["title"], Value::Null);
    assert_eq!(patched["first_name"], "", "a cleared name is stored empty");
    assert_eq!(patched["last_name"], "Li");
    assert_eq!(patched["phone"], "+86 138-0013-8000", "absent fields stay");
    assert_eq!(patched["version"], 2);

    let response = owner.patch(&path, &json!({ "last_name": "  " })).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(field_names(&problem), ["first_name", "last_name"]);
    assert_eq!(owner.get_json(&path).await["version"], 2, "nothing changed");

    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_problem(owner.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let listed = owner
        .get_json("/api/v1/contacts?include_deleted=true")
        .await;
    assert_eq!(listed["data"][0]["id"], created["id"]);
    let restored = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_eq!(restored.status(), StatusCode::OK);
    assert_eq!(owner.get(&path).await.status(), StatusCode::OK);
}
api_test!(contact_crud_round_trip);

async fn contact_without_company_is_allowed(app: &TestApp) {
    let owner = app.signup("Retail Buyers").await;
    let created = owner
        .create("/api/v1/contacts", &json!({ "last_name": "Zhang" }))
        .await;
    assert_eq!(created["first_name"], "");
    assert_eq!(created["last_name"], "Zhang");
    assert_eq!(created["company_id"], Value::Null);
}
api_test!(contact_without_company_is_allowed);

async fn invalid_contacts_are_rejected(app: &TestApp) {
    let owner = app.signup("Contact Checks").await;
    let long_title = "t".repeat(201);
    let cases = [
        (json!({}), vec!["first_name", "last_name"]),
        (
            json!({ "first_name": " ", "last_name": "" }),
            vec!["first_name", "last_name"],
        ),
        (
            json!({ "last_name": "Li", "email": "li@localhost" }),
            vec!["email"],
        ),
        (
            json!({ "last_name": "Li", "email": "li wei@example.com" }),
            vec!["email"],
        ),
        (
            json!({ "last_name": "Li", "title": long_title }),
            vec!["title"],
        ),
        (
            json!({ "last_name": "Li", "colour": "red" }),
            vec!["colour"],
        ),
        (json!({ "last_name": 7 }), vec!["last_name"]),
    ];
    for (body, expected) in cases {
        let response = owner.post("/api/v1/contacts", &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(field_names(&problem), expected, "body {body}");
    }
    let listed = owner.get_json("/api/v1/contacts?with_total=true").await;
    assert_eq!(listed["total"], 0, "no rejected contact was stored");
}
api_test!(invalid_contacts_are_rejected);

async fn contact_company_must_be_live_and_local(app: &TestApp) {
    let alice = app.signup("Alice Contacts").await;
    let bob = app.signup("Bob Contacts").await;
    let foreign = bob
        .create("/api/v1/companies", &json!({ "name": "Bob's Client" }))
        .await;
    let deleted = alice
        .create("/api/v1/companies", &json!({ "name": "Closed Down" }))
        .await;
    let deleted_path = format!("/api/v1/companies/{}", id(&deleted));
    assert_eq!(
        alice.delete(&deleted_path).await.status(),
        StatusCode::NO_CONTENT
    );

    for company_id in [&foreign["id"], &deleted["id"]] {
        let body = json!({ "last_name": "Li", "company_id": company_id, "owner_id": bob.user_id });
        let response = alice.post("/api/v1/contacts", &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            field_names(&problem),
            ["company_id", "owner_id"],
            "company {company_id}"
        );
        assert_eq!(problem["errors"][0]["code"], "unknown_reference");
    }

    let contact = alice
        .create("/api/v1/contacts", &json!({ "last_name": "Li" }))
        .await;
    let path = format!("/api/v1/contacts/{}", id(&contact));
    let response = alice
        .patch(&path, &json!({ "company_id": foreign["id"] }))
        .await;
    assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}
api_test!(contact_company_must_be_live_and_local);

async fn create_people(owner: &Session<'_>) {
    let people = [
        json!({ "first_name": "Wei", "last_name": "Li", "email": "li.wei@example.com", "phone": "+86 138-0013-8000" }),
        json!({ "first_name": "Anna", "last_name": "Smith", "email": "anna@smith.example", "phone": "555 0100" }),
        json!({ "first_name": "Zoe", "last_name": "Adams" }),
        json!({ "first_name": "Bob", "last_name": "Adams", "email": "bob_adams@example.org" }),
        json!({ "first_name": "Cher" }),
    ];
    for body in people {
        owner.create("/api/v1/contacts", &body).await;
    }
}

async fn contact_search_matches_names_email_phone(app: &TestApp) {
    let owner = app.signup("Contact Search").await;
    create_people(&owner).await;
    let cases: [(&str, &[&str]); 10] = [
        ("wei", &["Wei Li"]),
        ("wei%20li", &["Wei Li"]),
        ("Li%20%20Wei", &["Wei Li"]),
        ("ADAMS", &["Bob Adams", "Zoe Adams"]),
        ("smith.example", &["Anna Smith"]),
        ("0013-8000", &["Wei Li"]),
        ("5550100", &["Anna Smith"]),
        ("bob_", &["Bob Adams"]),
        ("b_b", &[]),
        ("cher", &["Cher"]),
    ];
    for (q, expected) in cases {
        let listed = owner.get_json(&format!("/api/v1/contacts?q={q}")).await;
        assert_eq!(full_names(&listed), expected, "q={q}");
    }
}
api_test!(contact_search_matches_names_email_phone);

async fn contact_email_filter_is_exact(app: &TestApp) {
    let owner = app.signup("Contact Email").await;
    create_people(&owner).await;
    let listed = owner
        .get_json("/api/v1/contacts?email=%20LI.WEI@Example.com")
        .await;
    assert_eq!(full_names(&listed), ["Wei Li"]);
    let listed = owner.get_json("/api/v1/contacts?email=li.wei").await;
    assert_eq!(
        full_names(&listed),
        Vec::<String>::new(),
        "no partial match"
    );
}
api_test!(contact_email_filter_is_exact);

async fn contact_list_sorts_and_filters(app: &TestApp) {
    let owner = app.signup("Contact Sort").await;
    create_people(&owner).await;
    let listed = owner.get_json("/api/v1/contacts").await;
    assert_eq!(
        full_names(&listed),
        ["Cher", "Bob Adams", "Zoe Adams", "Wei Li", "Anna Smith"],
        "default sort is last_name, first_name"
    );
    let listed = owner.get_json("/api/v1/contacts?sort=-first_name").await;
    assert_eq!(
        full_names(&listed),
        ["Zoe Adams", "Wei Li", "Cher", "Bob Adams", "Anna Smith"]
    );

    let company = owner
        .create("/api/v1/companies", &json!({ "name": "Initech" }))
        .await;
    let body =
        json!({ "first_name": "Peter", "last_name": "Gibbons", "company_id": company["id"] });
    owner.create("/api/v1/contacts", &body).await;
    let path = format!(
        "/api/v1/contacts?company_id={}&with_total=true",
        id(&company)
    );
    let listed = owner.get_json(&path).await;
    assert_eq!(full_names(&listed), ["Peter Gibbons"]);
    assert_eq!(listed["total"], 1);

    let response = owner.get("/api/v1/contacts?sort=phone").await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(field_names(&problem), ["sort"]);
}
api_test!(contact_list_sorts_and_filters);
