//! Leads: CRUD, status rules, filters, and conversion into a contact, a company and a deal
//! in one transaction.

use dealbook_tests::{Session, TestApp, api_test, assert_problem, status_and_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

/// Counts the live records of a list through `with_total`.
async fn total(session: &Session<'_>, path: &str) -> u64 {
    let page = session.get_json(&format!("{path}?with_total=true")).await;
    page["total"].as_u64().unwrap_or(u64::MAX)
}

async fn first_pipeline(session: &Session<'_>) -> Value {
    session.get_json("/api/v1/pipelines").await["data"][0].clone()
}

fn stage_id(pipeline: &Value, name: &str) -> Value {
    pipeline["stages"]
        .as_array()
        .and_then(|stages| stages.iter().find(|stage| stage["name"] == name))
        .map(|stage| stage["id"].clone())
        .unwrap_or_else(|| panic!("pipeline has no stage {name:?}: {pipeline}"))
}

async fn lead_crud_round_trip(app: &TestApp) {
    let owner = app.signup("Lead Crud Co").await;
    let body = json!({
        "name": "  Mary Ann Lee ",
        "company_name": "Acme",
        "email": " Mary.Lee@Acme.example ",
        "phone": "+1 555-0100",
        "source": "web",
        "channel": "inbound",
        "campaign": "spring",
    });
    let response = owner.post("/api/v1/leads", &body).await;
    assert_eq!(response.headers()["etag"], "\"1\"");
    let (status, lead) = status_and_json(response).await;
    assert_eq!(status, StatusCode::CREATED, "{lead}");
    assert_eq!(lead["name"], "Mary Ann Lee");
    assert_eq!(lead["email"], "Mary.Lee@Acme.example");
    assert_eq!(lead["status"], "new");
    assert_eq!(lead["owner_id"], owner.user_id.to_string());
    assert_eq!(lead["converted_at"], Value::Null);

    let path = format!("/api/v1/leads/{}", id_of(&lead));
    let body = json!({ "status": "qualified", "campaign": null, "title": "CTO" });
    let response = owner
        .send_with_headers(Method::PATCH, &path, Some(&body), &[("If-Match", "\"1\"")])
        .await;
    let (status, patched) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["status"], "qualified");
    assert_eq!(patched["campaign"], Value::Null);
    assert_eq!(patched["title"], "CTO");
    assert_eq!(patched["source"], "web", "absent fields stay");
    let stale = owner
        .send_with_headers(Method::PATCH, &path, Some(&body), &[("If-Match", "\"1\"")])
        .await;
    assert_problem(stale, StatusCode::PRECONDITION_FAILED, "stale_version").await;

    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_problem(owner.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let restored = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_eq!(restored.status(), StatusCode::OK);
    assert_eq!(owner.get_json(&path).await["status"], "qualified");
}
api_test!(lead_crud_round_trip);

async fn lead_rejects_invalid_fields(app: &TestApp) {
    let owner = app.signup("Lead Checks Co").await;
    let cases = [
        (json!({ "name": "   " }), "name"),
        (json!({ "name": "A", "email": "not-an-address" }), "email"),
        (json!({ "name": "A", "status": "converted" }), "status"),
        (
            json!({ "name": "A", "owner_id": uuid::Uuid::now_v7() }),
            "owner_id",
        ),
        (json!({ "name": "A", "status": "won" }), "status"),
        (json!({ "name": "A", "colour": "red" }), "colour"),
    ];
    for (body, field) in cases {
        let response = owner.post("/api/v1/leads", &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "body {body}");
    }
    assert_eq!(
        total(&owner, "/api/v1/leads").await,
        0,
        "nothing was created"
    );

    let lead = owner
        .create("/api/v1/leads", &json!({ "name": "Valid" }))
        .await;
    let path = format!("/api/v1/leads/{}", id_of(&lead));
    for body in [json!({ "status": "converted" }), json!({ "email": "x@" })] {
        let response = owner.patch(&path, &body).await;
        assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    assert_eq!(owner.get_json(&path).await["version"], 1);
}
api_test!(lead_rejects_invalid_fields);

async fn lead_list_filters(app: &TestApp) {
    let owner = app.signup("Lead Filters Co").await;
    let leads = [
        (
            "Ann Archer",
            "Archery Ltd",
            "ann@archery.example",
            "+44 20 7946 0001",
            "web",
            "new",
        ),
        (
            "Bo Baker",
            "Bakery Inc",
            "bo@bakery.example",
            "+1 555 0102",
            "fair",
            "working",
        ),
        (
            "Cy Cole",
            "Coal Co",
            "CY@coal.example",
            "+1 555 0103",
            "web",
            "disqualified",
        ),
    ];
    for (name, company, email, phone, source, status) in leads {
        let body = json!({
            "name": name,
            "company_name": company,
            "email": email,
            "phone": phone,
            "source": source,
            "status": status,
        });
        owner.create("/api/v1/leads", &body).await;
    }
    let names = |page: &Value| -> Vec<String> {
        page["data"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|row| row["name"].as_str().map(str::to_owned))
            .collect()
    };
    let cases = [
        ("sort=name", vec!["Ann Archer", "Bo Baker", "Cy Cole"]),
        ("", vec!["Cy Cole", "Bo Baker", "Ann Archer"]),
        ("source=web&sort=name", vec!["Ann Archer", "Cy Cole"]),
        ("status=working", vec!["Bo Baker"]),
        ("q=bakery", vec!["Bo Baker"]),
        ("q=cy@COAL", vec!["Cy Cole"]),
        ("q=7946", vec!["Ann Archer"]),
        ("q=555%200103", vec!["Cy Cole"]),
        ("sort=status", vec!["Cy Cole", "Ann Archer", "Bo Baker"]),
    ];
    for (query, expected) in cases {
        let page = owner.get_json(&format!("/api/v1/leads?{query}")).await;
        assert_eq!(names(&page), expected, "query {query:?}");
    }
    let response = owner.get("/api/v1/leads?status=lost").await;
    assert_problem(response, StatusCode::BAD_REQUEST, "invalid_query").await;
}
api_test!(lead_list_filters);

async fn lead_convert_creates_records(app: &TestApp) {
    let owner = app.signup("Convert Co").await;
    let pipeline = first_pipeline(&owner).await;
    let body = json!({
        "name": "Mary Ann Lee",
        "company_name": "Acme Corp",
        "email": "mary@acme.example",
        "phone": "+1 555-0100",
        "title": "CTO",
        "source": "web",
        "channel": "inbound",
    });
    let lead = owner.create("/api/v1/leads", &body).await;
    let path = format!("/api/v1/leads/{}/convert", id_of(&lead));
    let body = json!({
        "amount": { "amount": "5000", "currency": "USD" },
        "expected_close_date": "2027-01-15",
        "stage_id": stage_id(&pipeline, "Qualified"),
    });
    let response = owner
        .send_with_headers(Method::POST, &path, Some(&body), &[("If-Match", "\"1\"")])
        .await;
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let (status, converted) = status_and_json(response).await;
    assert_eq!(status, StatusCode::CREATED, "{converted}");

    let (lead, contact, company, deal) = (
        &converted["lead"],
        &converted["contact"],
        &converted["company"],
        &converted["deal"],
    );
    assert_eq!(lead["status"], "converted");
    assert_eq!(lead["version"], 2);
    assert!(lead["converted_at"].is_string());
    assert_eq!(lead["converted_contact_id"], contact["id"]);
    assert_eq!(lead["converted_company_id"], company["id"]);
    assert_eq!(lead["converted_deal_id"], deal["id"]);
    assert_eq!(contact["first_name"], "Mary Ann");
    assert_eq!(contact["last_name"], "Lee");
    assert_eq!(contact["email"], "mary@acme.example");
    assert_eq!(contact["title"], "CTO");
    assert_eq!(contact["company_id"], company["id"]);
    assert_eq!(company["name"], "Acme Corp");
    assert_eq!(deal["name"], "Acme Corp");
    assert_eq!(deal["pipeline_id"], pipeline["id"]);
    assert_eq!(deal["stage"]["name"], "Qualified");
    assert_eq!(deal["company_id"], company["id"]);
    assert_eq!(deal["contact_ids"], json!([contact["id"]]));
    assert_eq!(deal["source"], "web");
    assert_eq!(deal["channel"], "inbound");
    assert_eq!(deal["owner_id"], owner.user_id.to_string());
    assert_eq!(deal["amount"]["amount"], "5000.00");
    assert_eq!(deal["expected_close_date"], "2027-01-15");
    assert_eq!(location, format!("/api/v1/deals/{}", id_of(deal)));

    let contact_path = format!("/api/v1/contacts/{}", id_of(contact));
    assert_eq!(owner.get_json(&contact_path).await["last_name"], "Lee");
    let company_path = format!("/api/v1/companies/{}", id_of(company));
    assert_eq!(owner.get_json(&company_path).await["name"], "Acme Corp");
    let history = owner
        .get_json(&format!("/api/v1/deals/{}/history", id_of(deal)))
        .await;
    assert_eq!(history["transitions"][0]["to_stage_name"], "Qualified");

    let again = owner.post(&path, &json!({})).await;
    assert_problem(again, StatusCode::CONFLICT, "already_converted").await;
    let lead_path = format!("/api/v1/leads/{}", id_of(lead));
    let reopen = owner
        .patch(&lead_path, &json!({ "status": "working" }))
        .await;
    assert_problem(reopen, StatusCode::CONFLICT, "already_converted").await;
    let renamed = owner.patch(&lead_path, &json!({ "title": "CEO" })).await;
    assert_eq!(
        renamed.status(),
        StatusCode::OK,
        "other fields stay editable"
    );
    assert_eq!(total(&owner, "/api/v1/deals").await, 1);
}
api_test!(lead_convert_creates_records);

async fn lead_convert_failure_writes_nothing(app: &TestApp) {
    let owner = app.signup("Rollback Co").await;
    let renewals = owner
        .create(
            "/api/v1/pipelines",
            &json!({ "name": "Renewals", "stages": [
                { "name": "Due", "probability": 50, "kind": "open" },
                { "name": "Renewed", "probability": 100, "kind": "won" },
            ] }),
        )
        .await;
    let lead = owner
        .create(
            "/api/v1/leads",
            &json!({ "name": "Zhang San", "company_name": "Hangzhou Tea" }),
        )
        .await;
    let path = format!("/api/v1/leads/{}/convert", id_of(&lead));
    let sales = first_pipeline(&owner).await;

    // The first four requests fail in the deal insert, after the company and contact rows
    // were written, so the totals below prove that the transaction rolled them back.
    let cases = [
        (json!({ "stage_id": uuid::Uuid::now_v7() }), "stage_id"),
        (
            json!({ "pipeline_id": sales["id"], "stage_id": stage_id(&renewals, "Due") }),
            "stage_id",
        ),
        (
            json!({ "amount": { "amount": "100", "currency": "EUR" } }),
            "exchange_rate",
        ),
        (
            json!({ "pipeline_id": uuid::Uuid::now_v7() }),
            "pipeline_id",
        ),
        (json!({ "company_id": uuid::Uuid::now_v7() }), "company_id"),
        (
            json!({ "company_id": lead["id"], "create_company": true }),
            "create_company",
        ),
    ];
    for (body, field) in cases {
        let response = owner.post(&path, &body).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "body {body}");
    }

    assert_eq!(
        total(&owner, "/api/v1/contacts").await,
        0,
        "no contact left behind"
    );
    assert_eq!(
        total(&owner, "/api/v1/companies").await,
        0,
        "no company left behind"
    );
    assert_eq!(
        total(&owner, "/api/v1/deals").await,
        0,
        "no deal left behind"
    );
    let unchanged = owner
        .get_json(&format!("/api/v1/leads/{}", id_of(&lead)))
        .await;
    assert_eq!(unchanged["status"], "new");
    assert_eq!(unchanged["version"], 1);
    assert_eq!(unchanged["converted_contact_id"], Value::Null);

    let stale = owner
        .send_with_headers(
            Method::POST,
            &path,
            Some(&json!({})),
            &[("If-Match", "\"7\"")],
        )
        .await;
    assert_problem(stale, StatusCode::PRECONDITION_FAILED, "stale_version").await;
    let converted = owner
        .create(&path, &json!({ "pipeline_id": renewals["id"] }))
        .await;
    assert_eq!(converted["deal"]["stage"]["name"], "Due");
}
api_test!(lead_convert_failure_writes_nothing);

async fn lead_convert_company_choices(app: &TestApp) {
    let owner = app.signup("Company Choice Co").await;
    let existing = owner
        .create("/api/v1/companies", &json!({ "name": "Existing Ltd" }))
        .await;

    let lead = owner
        .create(
            "/api/v1/leads",
            &json!({ "name": "Attach Me", "company_name": "Existing" }),
        )
        .await;
    let path = format!("/api/v1/leads/{}/convert", id_of(&lead));
    let body = json!({ "company_id": existing["id"], "deal_name": "Expansion" });
    let converted = owner.create(&path, &body).await;
    assert_eq!(converted["company"], Value::Null, "no company is created");
    assert_eq!(converted["deal"]["company_id"], existing["id"]);
    assert_eq!(converted["deal"]["name"], "Expansion");
    assert_eq!(converted["contact"]["company_id"], existing["id"]);
    assert_eq!(converted["lead"]["converted_company_id"], existing["id"]);

    let lead = owner
        .create("/api/v1/leads", &json!({ "name": "Solo" }))
        .await;
    let path = format!("/api/v1/leads/{}/convert", id_of(&lead));
    let refused = owner.post(&path, &json!({ "create_company": true })).await;
    let problem = assert_problem(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "create_company");
    let converted = owner.create(&path, &json!({})).await;
    assert_eq!(converted["company"], Value::Null);
    assert_eq!(
        converted["deal"]["name"], "Solo",
        "the lead name names the deal"
    );
    assert_eq!(converted["deal"]["company_id"], Value::Null);
    assert_eq!(converted["contact"]["first_name"], "Solo");
    assert_eq!(converted["contact"]["last_name"], "");

    let lead = owner
        .create(
            "/api/v1/leads",
            &json!({ "name": "Private Buyer", "company_name": "Side Gig" }),
        )
        .await;
    let path = format!("/api/v1/leads/{}/convert", id_of(&lead));
    let converted = owner
        .create(&path, &json!({ "create_company": false }))
        .await;
    assert_eq!(converted["company"], Value::Null);
    assert_eq!(converted["deal"]["name"], "Side Gig");
    assert_eq!(total(&owner, "/api/v1/companies").await, 1);
}
api_test!(lead_convert_company_choices);

async fn lead_other_organization_gets_404(app: &TestApp) {
    let alice = app.signup("Alice Leads").await;
    let bob = app.signup("Bob Leads").await;
    let lead = alice
        .create("/api/v1/leads", &json!({ "name": "Secret Lead" }))
        .await;
    let path = format!("/api/v1/leads/{}", id_of(&lead));
    assert_problem(bob.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let convert = bob.post(&format!("{path}/convert"), &json!({})).await;
    assert_problem(convert, StatusCode::NOT_FOUND, "not_found").await;
    let patch = bob.patch(&path, &json!({ "name": "Mine" })).await;
    assert_problem(patch, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(total(&bob, "/api/v1/leads").await, 0);
    assert_eq!(total(&bob, "/api/v1/contacts").await, 0);
    assert_eq!(alice.get_json(&path).await["status"], "new");
}
api_test!(lead_other_organization_gets_404);
