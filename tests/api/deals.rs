//! Deals: creation defaults, stage moves and their history, references, filters and
//! pagination.

use std::collections::{HashMap, HashSet};

use dealbook_tests::{Session, TestApp, api_test, assert_problem, status_and_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A pipeline's id and its stage ids by stage name.
struct Pipeline {
    id: String,
    stages: HashMap<String, String>,
}

impl Pipeline {
    fn stage(&self, name: &str) -> &str {
        self.stages
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("pipeline has no stage {name:?}"))
    }
}

fn pipeline_from(body: &Value) -> Pipeline {
    let stages = body["stages"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|stage| {
            let name = stage["name"].as_str().unwrap_or_default().to_owned();
            let id = stage["id"].as_str().unwrap_or_default().to_owned();
            (name, id)
        })
        .collect();
    Pipeline {
        id: body["id"].as_str().unwrap_or_default().to_owned(),
        stages,
    }
}

/// Reads the pipeline every new organization starts with: Lead, Qualified, Proposal,
/// Negotiation, Won, Lost.
async fn sales_pipeline(session: &Session<'_>) -> Pipeline {
    let listed = session.get_json("/api/v1/pipelines").await;
    pipeline_from(&listed["data"][0])
}

async fn second_pipeline(session: &Session<'_>) -> Pipeline {
    let body = json!({
        "name": "Renewals",
        "stages": [
            { "name": "Due", "probability": 50, "kind": "open" },
            { "name": "Renewed", "probability": 100, "kind": "won" },
        ],
    });
    pipeline_from(&session.create("/api/v1/pipelines", &body).await)
}

fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

fn today_utc() -> String {
    // The server stamps closed_on with the UTC date; the change event's instant has it too.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or_default();
    civil_date(i64::try_from(now / 86_400).unwrap_or_default())
}

/// Formats a count of days since 1970-01-01 as `YYYY-MM-DD` (Howard Hinnant's
/// days-to-civil algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

async fn deal_create_fills_defaults(app: &TestApp) {
    let owner = app.signup("Deal Defaults Co").await;
    let pipeline = sales_pipeline(&owner).await;
    let company = owner
        .create("/api/v1/companies", &json!({ "name": "Acme" }))
        .await;
    let contact = owner
        .create(
            "/api/v1/contacts",
            &json!({ "first_name": "Wei", "last_name": "Li" }),
        )
        .await;
    let body = json!({
        "name": "  Acme fleet renewal ",
        "pipeline_id": pipeline.id,
        "company_id": company["id"],
        "amount": { "amount": "12500.5", "currency": "USD" },
        "expected_close_date": "2026-12-31",
        "contact_ids": [contact["id"], contact["id"]],
        "line_items": [
            { "name": "Seats", "quantity": "10.0", "unit_price": { "amount": "1250.05", "currency": "USD" } },
            { "name": "Setup", "quantity": "1", "unit_price": { "amount": "0", "currency": "USD" } },
        ],
    });
    let response = owner.post("/api/v1/deals", &body).await;
    assert_eq!(response.headers()["etag"], "\"1\"");
    let location = response.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    let (status, deal) = status_and_json(response).await;
    assert_eq!(status, StatusCode::CREATED, "{deal}");

    assert_eq!(deal["name"], "Acme fleet renewal");
    assert_eq!(deal["stage_id"], pipeline.stage("Lead"), "first open stage");
    assert_eq!(deal["stage"]["name"], "Lead");
    assert_eq!(deal["stage"]["kind"], "open");
    assert_eq!(deal["stage"]["probability"], 10);
    assert_eq!(
        deal["owner_id"],
        owner.user_id.to_string(),
        "owner defaults to the actor"
    );
    assert_eq!(deal["amount"]["amount"], "12500.50");
    assert_eq!(deal["currency"], "USD");
    assert_eq!(deal["exchange_rate"], "1", "base currency needs no rate");
    assert_eq!(deal["close_exchange_rate"], Value::Null);
    assert_eq!(deal["closed_on"], Value::Null);
    assert_eq!(deal["expected_close_date"], "2026-12-31");
    assert_eq!(
        deal["contact_ids"],
        json!([contact["id"]]),
        "repeated ids count once"
    );
    assert_eq!(deal["line_items"][0]["quantity"], "10");
    assert_eq!(deal["line_items"][0]["unit_price"]["amount"], "1250.05");
    assert_eq!(deal["line_items"][0]["position"], 0);
    assert_eq!(deal["line_items"][1]["name"], "Setup");
    assert_eq!(deal["line_items"][1]["position"], 1);
    assert_eq!(location, format!("/api/v1/deals/{}", id_of(&deal)));

    let fetched = owner.get_json(&location).await;
    assert_eq!(fetched, deal, "GET returns what POST returned");
}
api_test!(deal_create_fills_defaults);

async fn deal_created_closed_sets_close_fields(app: &TestApp) {
    let owner = app.signup("Closed Start Co").await;
    let pipeline = sales_pipeline(&owner).await;
    let body = json!({
        "name": "Signed last week",
        "pipeline_id": pipeline.id,
        "stage_id": pipeline.stage("Won"),
        "amount": { "amount": "900", "currency": "EUR" },
        "exchange_rate": "1.0800",
    });
    let deal = owner.create("/api/v1/deals", &body).await;
    assert_eq!(deal["exchange_rate"], "1.08");
    assert_eq!(deal["close_exchange_rate"], "1.08");
    assert_eq!(deal["closed_on"], today_utc());

    let body = json!({
        "name": "Lost in March",
        "pipeline_id": pipeline.id,
        "stage_id": pipeline.stage("Lost"),
        "closed_on": "2026-03-15",
    });
    let deal = owner.create("/api/v1/deals", &body).await;
    assert_eq!(deal["closed_on"], "2026-03-15", "a given closed_on stays");
    assert_eq!(deal["close_exchange_rate"], "1");
}
api_test!(deal_created_closed_sets_close_fields);

async fn deal_stage_moves_record_history(app: &TestApp) {
    let owner = app.signup("Stage Move Co").await;
    let pipeline = sales_pipeline(&owner).await;
    let deal = owner
        .create(
            "/api/v1/deals",
            &json!({ "name": "Mover", "pipeline_id": pipeline.id }),
        )
        .await;
    let path = format!("/api/v1/deals/{}", id_of(&deal));

    let body = json!({ "stage_id": pipeline.stage("Won"), "win_loss_reason": "price" });
    let response = owner
        .send_with_headers(Method::PATCH, &path, Some(&body), &[("If-Match", "\"1\"")])
        .await;
    assert_eq!(response.headers()["etag"], "\"2\"");
    let (status, won) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "{won}");
    assert_eq!(won["stage"]["kind"], "won");
    assert_eq!(won["closed_on"], today_utc());
    assert_eq!(won["close_exchange_rate"], "1");
    assert_ne!(won["stage_changed_at"], deal["stage_changed_at"]);

    let reopened = owner
        .patch(&path, &json!({ "stage_id": pipeline.stage("Proposal") }))
        .await;
    let (status, reopened) = status_and_json(reopened).await;
    assert_eq!(status, StatusCode::OK, "{reopened}");
    assert_eq!(
        reopened["closed_on"],
        Value::Null,
        "reopening clears closed_on"
    );
    assert_eq!(reopened["close_exchange_rate"], Value::Null);

    let same = owner
        .patch(&path, &json!({ "stage_id": pipeline.stage("Proposal") }))
        .await;
    assert_eq!(same.status(), StatusCode::OK);

    let history = owner.get_json(&format!("{path}/history")).await;
    let transitions = history["transitions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let moves: Vec<(Value, Value)> = transitions
        .iter()
        .map(|row| (row["from_stage_name"].clone(), row["to_stage_name"].clone()))
        .collect();
    assert_eq!(
        moves,
        vec![
            (Value::Null, json!("Lead")),
            (json!("Lead"), json!("Won")),
            (json!("Won"), json!("Proposal")),
        ],
        "a patch to the current stage appends nothing"
    );
    assert_eq!(transitions[1]["by_user_id"], owner.user_id.to_string());

    let changes = history["changes"].as_array().cloned().unwrap_or_default();
    let kinds: Vec<&str> = changes
        .iter()
        .filter_map(|row| row["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["created", "updated", "updated", "updated"]);
    assert_eq!(
        changes[1]["changes"]["stage_id"]["to"],
        pipeline.stage("Won")
    );
    assert_eq!(changes[1]["changes"]["win_loss_reason"]["to"], "price");
    assert_eq!(
        changes[1]["changes"]["stage"],
        Value::Null,
        "diffs skip the embedded stage"
    );
}
api_test!(deal_stage_moves_record_history);

async fn deal_pipeline_move_needs_stage(app: &TestApp) {
    let owner = app.signup("Pipeline Move Co").await;
    let sales = sales_pipeline(&owner).await;
    let renewals = second_pipeline(&owner).await;

    let body = json!({ "name": "Wrong stage", "pipeline_id": sales.id, "stage_id": renewals.stage("Due") });
    let response = owner.post("/api/v1/deals", &body).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "stage_id");
    assert_eq!(problem["errors"][0]["code"], "stage_not_in_pipeline");

    let deal = owner
        .create(
            "/api/v1/deals",
            &json!({ "name": "Mover", "pipeline_id": sales.id }),
        )
        .await;
    let path = format!("/api/v1/deals/{}", id_of(&deal));
    let alone = owner
        .patch(&path, &json!({ "pipeline_id": renewals.id }))
        .await;
    let problem =
        assert_problem(alone, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "stage_id");
    let foreign = owner
        .patch(&path, &json!({ "stage_id": renewals.stage("Due") }))
        .await;
    let problem = assert_problem(
        foreign,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "stage_not_in_pipeline");

    let body = json!({ "pipeline_id": renewals.id, "stage_id": renewals.stage("Due") });
    let (status, moved) = status_and_json(owner.patch(&path, &body).await).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["pipeline_id"], renewals.id.as_str());
    assert_eq!(moved["stage"]["name"], "Due");
    assert_eq!(moved["version"], 2, "rejected patches change nothing");
}
api_test!(deal_pipeline_move_needs_stage);

async fn deal_currency_rules(app: &TestApp) {
    let owner = app.signup("Currency Co").await;
    let pipeline = sales_pipeline(&owner).await;
    let euro = json!({ "amount": "100", "currency": "EUR" });

    let body = json!({ "name": "No rate", "pipeline_id": pipeline.id, "amount": euro });
    let problem = assert_problem(
        owner.post("/api/v1/deals", &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "exchange_rate");
    assert_eq!(problem["errors"][0]["code"], "required");

    let cases = [
        (
            json!({ "amount": { "amount": "1.001", "currency": "USD" } }),
            "amount.amount",
        ),
        (
            json!({ "amount": { "amount": "1", "currency": "XYZ" } }),
            "amount.currency",
        ),
        (
            json!({ "exchange_rate": "0", "amount": euro }),
            "exchange_rate",
        ),
        (
            json!({ "exchange_rate": "2", "amount": { "amount": "1", "currency": "USD" } }),
            "exchange_rate",
        ),
        (
            json!({ "currency": "GBP", "amount": euro, "exchange_rate": "1.1" }),
            "currency",
        ),
        (
            json!({ "line_items": [{ "name": "Seat", "quantity": "1", "unit_price": euro }] }),
            "line_items[0].unit_price.currency",
        ),
        (
            json!({ "line_items": [{ "name": "Seat", "quantity": "0", "unit_price": { "amount": "1", "currency": "USD" } }] }),
            "line_items[0].quantity",
        ),
        (
            json!({ "line_items": [{ "quantity": "1", "unit_price": { "amount": "1", "currency": "USD" } }] }),
            "line_items[0].name",
        ),
    ];
    for (fields, expected_field) in cases {
        let mut body = json!({ "name": "Case", "pipeline_id": pipeline.id });
        for (key, value) in fields.as_object().cloned().unwrap_or_default() {
            body[key] = value;
        }
        let problem = assert_problem(
            owner.post("/api/v1/deals", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], expected_field, "body {body}");
    }

    let body = json!({
        "name": "Euro deal",
        "pipeline_id": pipeline.id,
        "amount": euro,
        "exchange_rate": "1.08",
        "line_items": [{ "name": "Seat", "quantity": "2", "unit_price": { "amount": "50", "currency": "EUR" } }],
    });
    let deal = owner.create("/api/v1/deals", &body).await;
    let path = format!("/api/v1/deals/{}", id_of(&deal));

    let yen =
        json!({ "amount": { "amount": "15000", "currency": "JPY" }, "exchange_rate": "0.0067" });
    let problem = assert_problem(
        owner.patch(&path, &yen).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        problem["errors"][0]["field"], "line_items",
        "old line items would keep EUR prices"
    );

    let body = json!({
        "amount": { "amount": "15000", "currency": "JPY" },
        "line_items": [],
    });
    let problem = assert_problem(
        owner.patch(&path, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "exchange_rate");

    let body = json!({
        "amount": { "amount": "15000", "currency": "JPY" },
        "exchange_rate": "0.0067",
        "line_items": [],
    });
    let (status, patched) = status_and_json(owner.patch(&path, &body).await).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["currency"], "JPY");
    assert_eq!(patched["amount"]["amount"], "15000");
    assert_eq!(patched["exchange_rate"], "0.0067");
    assert_eq!(patched["line_items"], json!([]));

    let back = json!({ "currency": "USD", "amount": null });
    let (status, patched) = status_and_json(owner.patch(&path, &back).await).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(
        patched["exchange_rate"], "1",
        "the base currency has rate 1"
    );
    assert_eq!(patched["amount"], Value::Null);
}
api_test!(deal_currency_rules);

async fn deal_patch_replaces_contacts_and_items(app: &TestApp) {
    let owner = app.signup("Replace Co").await;
    let pipeline = sales_pipeline(&owner).await;
    let mut contacts = Vec::new();
    for name in ["Ann", "Bo", "Cy"] {
        let contact = owner
            .create("/api/v1/contacts", &json!({ "first_name": name }))
            .await;
        contacts.push(contact["id"].clone());
    }
    let product = owner
        .create(
            "/api/v1/products",
            &json!({ "name": "Widget", "list_price": { "amount": "10", "currency": "USD" } }),
        )
        .await;
    let body = json!({
        "name": "Replace me",
        "pipeline_id": pipeline.id,
        "contact_ids": [contacts[0], contacts[1]],
        "line_items": [{ "name": "Old", "quantity": "1", "unit_price": { "amount": "5", "currency": "USD" } }],
    });
    let deal = owner.create("/api/v1/deals", &body).await;
    let path = format!("/api/v1/deals/{}", id_of(&deal));

    let body = json!({
        "contact_ids": [contacts[2]],
        "line_items": [
            { "product_id": product["id"], "quantity": "3", "unit_price": { "amount": "9.5", "currency": "USD" } },
            { "name": "Service", "quantity": "0.5", "unit_price": { "amount": "100", "currency": "USD" } },
        ],
        "next_step": "  Send contract  ",
    });
    let (status, patched) = status_and_json(owner.patch(&path, &body).await).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["contact_ids"], json!([contacts[2]]));
    let items = patched["line_items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 2, "the list is replaced, not appended to");
    assert_eq!(
        items[0]["name"], "Widget",
        "the product name fills a missing name"
    );
    assert_eq!(items[0]["product_id"], product["id"]);
    assert_eq!(items[0]["unit_price"]["amount"], "9.50");
    assert_eq!(items[1]["quantity"], "0.5");
    assert_eq!(patched["next_step"], "Send contract");

    let listed = owner
        .get_json(&format!(
            "/api/v1/deals?contact_id={}",
            contacts[0].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(listed["data"], json!([]), "the old contact is unlinked");

    let bad = json!({ "contact_ids": [contacts[0], pipeline.id] });
    let problem = assert_problem(
        owner.patch(&path, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "contact_ids[1]");
    assert_eq!(
        owner.get_json(&path).await["contact_ids"],
        json!([contacts[2]])
    );

    let null_list = owner.patch(&path, &json!({ "contact_ids": null })).await;
    assert_problem(
        null_list,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}
api_test!(deal_patch_replaces_contacts_and_items);

async fn deal_other_organization_gets_404(app: &TestApp) {
    let alice = app.signup("Alice Deals").await;
    let bob = app.signup("Bob Deals").await;
    let alice_pipeline = sales_pipeline(&alice).await;
    let bob_pipeline = sales_pipeline(&bob).await;
    let company = alice
        .create("/api/v1/companies", &json!({ "name": "Alice's client" }))
        .await;
    let deal = alice
        .create(
            "/api/v1/deals",
            &json!({ "name": "Secret", "pipeline_id": alice_pipeline.id }),
        )
        .await;
    let path = format!("/api/v1/deals/{}", id_of(&deal));

    assert_problem(bob.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let history = bob.get(&format!("{path}/history")).await;
    assert_problem(history, StatusCode::NOT_FOUND, "not_found").await;
    let patch = bob.patch(&path, &json!({ "name": "Mine" })).await;
    assert_problem(patch, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(bob.delete(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let listed = bob.get_json("/api/v1/deals?with_total=true").await;
    assert_eq!(listed["total"], 0);

    let cases = [
        (json!({ "pipeline_id": alice_pipeline.id }), "pipeline_id"),
        (
            json!({ "pipeline_id": bob_pipeline.id, "company_id": company["id"] }),
            "company_id",
        ),
        (
            json!({ "pipeline_id": bob_pipeline.id, "owner_id": alice.user_id }),
            "owner_id",
        ),
        (
            json!({ "pipeline_id": bob_pipeline.id, "stage_id": alice_pipeline.stage("Lead") }),
            "stage_id",
        ),
    ];
    for (fields, expected_field) in cases {
        let mut body = json!({ "name": "Borrowed" });
        for (key, value) in fields.as_object().cloned().unwrap_or_default() {
            body[key] = value;
        }
        let problem = assert_problem(
            bob.post("/api/v1/deals", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], expected_field, "body {body}");
        assert_eq!(problem["errors"][0]["code"], "unknown_reference");
    }
    assert_eq!(alice.get_json(&path).await["name"], "Secret");
}
api_test!(deal_other_organization_gets_404);

async fn deal_versions_and_soft_delete(app: &TestApp) {
    let owner = app.signup("Deal Versions Co").await;
    let pipeline = sales_pipeline(&owner).await;
    let deal = owner
        .create(
            "/api/v1/deals",
            &json!({ "name": "Versioned", "pipeline_id": pipeline.id }),
        )
        .await;
    let path = format!("/api/v1/deals/{}", id_of(&deal));
    let body = json!({ "name": "First edit" });
    let first = owner
        .send_with_headers(Method::PATCH, &path, Some(&body), &[("If-Match", "\"1\"")])
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    let stale = owner
        .send_with_headers(Method::PATCH, &path, Some(&body), &[("If-Match", "\"1\"")])
        .await;
    assert_problem(stale, StatusCode::PRECONDITION_FAILED, "stale_version").await;
    let stale_delete = owner
        .send_with_headers(Method::DELETE, &path, None, &[("If-Match", "\"1\"")])
        .await;
    assert_problem(
        stale_delete,
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;

    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_problem(owner.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let listed = owner.get_json("/api/v1/deals?with_total=true").await;
    assert_eq!(listed["total"], 0);
    let listed = owner.get_json("/api/v1/deals?include_deleted=true").await;
    assert_eq!(listed["data"][0]["id"], id_of(&deal).as_str());

    let response = owner.post(&format!("{path}/restore"), &json!({})).await;
    let (status, restored) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["deleted_at"], Value::Null);
    assert_eq!(restored["stage"]["name"], "Lead");
    let kinds: Vec<String> = owner.get_json(&format!("{path}/history")).await["changes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|row| row["kind"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(kinds, ["created", "updated", "deleted", "restored"]);
}
api_test!(deal_versions_and_soft_delete);

async fn deal_list_filters(app: &TestApp) {
    let owner = app.signup("Deal Filters Co").await;
    let pipeline = sales_pipeline(&owner).await;
    let contact = owner
        .create("/api/v1/contacts", &json!({ "first_name": "Linked" }))
        .await;
    let specs = [
        ("Alpha", "Lead", "100", "USD", "2026-01-10", "web"),
        ("Beta", "Won", "2500.75", "USD", "2026-02-20", "referral"),
        ("Gamma", "Lost", "50", "USD", "2026-03-30", "web"),
        ("Delta", "Proposal", "2500.75", "EUR", "2026-02-01", "web"),
    ];
    let mut ids = HashMap::new();
    for (name, stage, amount, currency, close, source) in specs {
        let mut body = json!({
            "name": name,
            "pipeline_id": pipeline.id,
            "stage_id": pipeline.stage(stage),
            "amount": { "amount": amount, "currency": currency },
            "expected_close_date": close,
            "source": source,
        });
        if currency != "USD" {
            body["exchange_rate"] = json!("1.1");
        }
        if name == "Alpha" {
            body["contact_ids"] = json!([contact["id"]]);
        }
        let deal = owner.create("/api/v1/deals", &body).await;
        ids.insert(name, id_of(&deal));
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
    let contact_id = contact["id"].as_str().unwrap_or_default();
    let cases = [
        ("status=open&sort=name", vec!["Alpha", "Delta"]),
        ("status=won", vec!["Beta"]),
        ("status=lost", vec!["Gamma"]),
        (&*format!("contact_id={contact_id}"), vec!["Alpha"]),
        ("currency=EUR", vec!["Delta"]),
        (
            "amount_min=100&amount_max=2500.75&currency=USD&sort=amount",
            vec!["Alpha", "Beta"],
        ),
        ("amount_min=2500.75&sort=name", vec!["Beta", "Delta"]),
        (
            "expected_close_from=2026-02-01&expected_close_to=2026-02-20&sort=expected_close_date",
            vec!["Delta", "Beta"],
        ),
        ("source=web&sort=-name", vec!["Gamma", "Delta", "Alpha"]),
        ("q=ALP", vec!["Alpha"]),
        (
            &*format!("stage_id={}", pipeline.stage("Proposal")),
            vec!["Delta"],
        ),
        (
            &*format!("pipeline_id={}&sort=name", pipeline.id),
            vec!["Alpha", "Beta", "Delta", "Gamma"],
        ),
        (
            &*format!("owner_id={}&status=won", owner.user_id),
            vec!["Beta"],
        ),
        (
            &*format!("closed_from={}&sort=name", today_utc()),
            vec!["Beta", "Gamma"],
        ),
        ("created_to=2000-01-01T00:00:00Z", vec![]),
        (
            "updated_since=2000-01-01T00:00:00Z&sort=-amount,name&limit=1",
            vec!["Beta"],
        ),
    ];
    for (query, expected) in cases {
        let page = owner.get_json(&format!("/api/v1/deals?{query}")).await;
        assert_eq!(names(&page), expected, "query {query}");
    }
    let page = owner
        .get_json("/api/v1/deals?status=open&with_total=true")
        .await;
    assert_eq!(page["total"], 2);
    let first = &page["data"][0];
    assert!(
        first["stage"]["name"].is_string(),
        "list rows embed the stage"
    );
    assert!(ids.contains_key("Alpha"));

    for query in [
        "amount_min=1.00001",
        "currency=usd",
        "sort=stage",
        "limit=0",
    ] {
        let response = owner.get(&format!("/api/v1/deals?{query}")).await;
        assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    for query in [
        "status=pending",
        "expected_close_from=2026-13-01",
        "colour=red",
    ] {
        let response = owner.get(&format!("/api/v1/deals?{query}")).await;
        assert_problem(response, StatusCode::BAD_REQUEST, "invalid_query").await;
    }
}
api_test!(deal_list_filters);

async fn deal_pages_cover_every_row(app: &TestApp) {
    let owner = app.signup("Deal Pages Co").await;
    let pipeline = sales_pipeline(&owner).await;
    let total = 23;
    for index in 0..total {
        // Repeated and missing close dates and amounts put ties and nulls in the sort keys.
        let close = (index % 4 != 0).then(|| format!("2026-0{}-15", 1 + index % 3));
        let amount = (index % 5 != 0)
            .then(|| json!({ "amount": format!("{}", (index % 3) * 100), "currency": "USD" }));
        let body = json!({
            "name": format!("Deal {:02}", index % 7),
            "pipeline_id": pipeline.id,
            "expected_close_date": close,
            "amount": amount,
            "line_items": [{ "name": "Item", "quantity": "1", "unit_price": { "amount": "1", "currency": "USD" } }],
        });
        owner.create("/api/v1/deals", &body).await;
    }
    for sort in [
        "-updated_at",
        "expected_close_date",
        "-amount,name",
        "name,-expected_close_date",
        "closed_on",
        "stage_changed_at",
    ] {
        let mut seen = HashSet::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/deals?sort={sort}&limit=4");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let page = owner.get_json(&path).await;
            for row in page["data"].as_array().cloned().unwrap_or_default() {
                assert_eq!(
                    row["line_items"].as_array().map(Vec::len),
                    Some(1),
                    "sort {sort}"
                );
                assert!(
                    seen.insert(id_of(&row)),
                    "sort {sort}: a row is listed twice"
                );
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
            assert!(seen.len() <= total, "sort {sort}: pagination must end");
        }
        assert_eq!(seen.len(), total, "sort {sort}: every row is listed");
    }
}
api_test!(deal_pages_cover_every_row);

async fn deal_reads_run_fixed_statements(app: &TestApp) {
    let owner = app.signup("Deal Statements Co").await;
    let pipeline = sales_pipeline(&owner).await;
    let mut contacts = Vec::new();
    for name in ["Ann", "Bo"] {
        let contact = owner
            .create("/api/v1/contacts", &json!({ "first_name": name }))
            .await;
        contacts.push(contact["id"].clone());
    }
    let price = json!({ "amount": "10", "currency": "USD" });
    let mut paths = Vec::new();
    for index in 0..6 {
        let body = json!({
            "name": format!("Deal {index}"),
            "pipeline_id": pipeline.id,
            "contact_ids": contacts,
            "line_items": [
                { "name": "One", "quantity": "1", "unit_price": price },
                { "name": "Two", "quantity": "2", "unit_price": price },
            ],
        });
        let deal = owner.create("/api/v1/deals", &body).await;
        paths.push(format!("/api/v1/deals/{}", id_of(&deal)));
    }

    let (small, _) = app
        .count_statements(owner.get("/api/v1/deals?limit=1"))
        .await;
    let (large, response) = app
        .count_statements(owner.get("/api/v1/deals?limit=50"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        small, large,
        "a deal list runs the same statements whatever the page size"
    );
    // The member lookup, the page, its stages, contacts and line items.
    assert!(large <= 5, "a deal page takes {large} statements");

    for stage in ["Qualified", "Proposal", "Won"] {
        let body = json!({ "stage_id": pipeline.stage(stage) });
        assert_eq!(owner.patch(&paths[0], &body).await.status(), StatusCode::OK);
    }
    let (moved, _) = app
        .count_statements(owner.get(&format!("{}/history", paths[0])))
        .await;
    let (unmoved, _) = app
        .count_statements(owner.get(&format!("{}/history", paths[1])))
        .await;
    assert_eq!(
        moved, unmoved,
        "history statements do not grow with its length"
    );
    assert!(moved <= 5, "a deal history takes {moved} statements");
}
api_test!(deal_reads_run_fixed_statements);
