//! The demo load: its counts per stage, per agent and per product line equal the counts
//! computed here straight from the sample CSV files, independently of the loader.

use std::collections::{BTreeMap, HashMap};

use dealbook_tests::{Session, TestApp, api_test, sample_dir};
use reqwest::{Method, StatusCode};
use serde_json::json;

const DEMO_PASSWORD: &str = "demo password for tests";

fn read_rows(name: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(sample_dir().join(name)).unwrap();
    reader.deserialize().map(Result::unwrap).collect()
}

/// Counts pipeline rows by the value `key` gives each row.
fn count_by(key: impl Fn(&HashMap<String, String>) -> String) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for row in read_rows("sales_pipeline.csv") {
        *counts.entry(key(&row)).or_insert(0) += 1;
    }
    counts
}

/// The product series of each pipeline row. The pipeline spells one product `GTXPro` where
/// the product list has `GTX Pro`; both are the GTX series.
fn series_of_products() -> HashMap<String, String> {
    let mut series = HashMap::new();
    for row in read_rows("products.csv") {
        series.insert(row["product"].replace(' ', ""), row["series"].clone());
    }
    series
}

async fn load_demo(app: &TestApp) -> Session<'_> {
    let hash = dealbook_http::tokens::hash_password(DEMO_PASSWORD).unwrap();
    dealbook::demo::load(&app.db, &sample_dir(), Some(hash))
        .await
        .unwrap();
    let body = json!({ "email": "demo@example.com", "password": DEMO_PASSWORD });
    let response = app
        .request(Method::POST, "/api/v1/auth/login", None, Some(&body))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "the demo owner signs in");
    let tokens = response.json().await.unwrap();
    Session::from_tokens(app, &tokens, "demo@example.com".to_owned())
}

async fn total(session: &Session<'_>, query: &str) -> u64 {
    let page = session
        .get_json(&format!("/api/v1/deals?with_total=true&limit=1&{query}"))
        .await;
    page["total"].as_u64().unwrap()
}

async fn demo_counts_match_csv(app: &TestApp) {
    let demo = load_demo(app).await;
    assert_eq!(total(&demo, "").await, 8800);

    let pipelines = demo.get_json("/api/v1/pipelines").await;
    let stages = pipelines["data"][0]["stages"].as_array().unwrap().clone();
    let names: Vec<&str> = stages
        .iter()
        .filter_map(|stage| stage["name"].as_str())
        .collect();
    assert_eq!(names, ["Prospecting", "Engaging", "Won", "Lost"]);
    for (stage, expected) in count_by(|row| row["deal_stage"].clone()) {
        let id = stages.iter().find(|s| s["name"] == stage.as_str()).unwrap()["id"]
            .as_str()
            .unwrap();
        assert_eq!(
            total(&demo, &format!("stage_id={id}")).await,
            expected,
            "stage {stage}"
        );
    }

    let users = demo.get_json("/api/v1/users?limit=200").await;
    let users = users["data"].as_array().unwrap();
    let per_agent = count_by(|row| row["sales_agent"].clone());
    assert_eq!(
        per_agent.len(),
        30,
        "30 of the 35 agents have opportunities"
    );
    for (agent, expected) in per_agent {
        let user = users
            .iter()
            .find(|user| user["name"] == agent.as_str())
            .unwrap();
        let id = user["id"].as_str().unwrap();
        assert_eq!(
            total(&demo, &format!("owner_id={id}")).await,
            expected,
            "agent {agent}"
        );
    }

    let series = series_of_products();
    let per_line = count_by(|row| series[&row["product"].replace(' ', "")].clone());
    for (line, expected) in per_line {
        assert_eq!(
            total(&demo, &format!("product_line={line}")).await,
            expected,
            "line {line}"
        );
    }
}
api_test!(demo_counts_match_csv);

async fn demo_keeps_data_quirks(app: &TestApp) {
    let demo = load_demo(app).await;
    let without_account = read_rows("sales_pipeline.csv")
        .iter()
        .filter(|row| row["account"].is_empty())
        .count() as u64;
    assert_eq!(without_account, 1425);
    let page = demo.get_json("/api/v1/companies?q=acme").await;
    assert_eq!(
        page["data"][0]["industry"], "technolgy",
        "sector typos are kept"
    );
    assert_eq!(page["data"][0]["annual_revenue"]["amount"], "1100040000.00");
    let page = demo
        .get_json("/api/v1/companies?country=Philipines&with_total=true")
        .await;
    assert!(
        page["total"].as_u64().unwrap() > 0,
        "country typos are kept"
    );

    let open_without_value = read_rows("sales_pipeline.csv")
        .iter()
        .filter(|row| row["close_value"].is_empty())
        .count();
    assert_eq!(open_without_value, 2089);
    let deals = demo.get_json("/api/v1/deals?limit=200&sort=-amount").await;
    let with_amount = deals["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["amount"].is_null())
        .count();
    assert!(with_amount > 0);
    let open = demo
        .get_json("/api/v1/deals?status=open&with_total=true&limit=200&sort=-amount")
        .await;
    assert_eq!(open["total"], 2089);
    assert!(
        open["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|deal| deal["amount"].is_null()),
        "open deals keep no value"
    );
}
api_test!(demo_keeps_data_quirks);

async fn demo_load_is_idempotent(app: &TestApp) {
    let demo = load_demo(app).await;
    let before_companies = demo
        .get_json("/api/v1/companies?with_total=true&limit=1")
        .await["total"]
        .clone();
    let summary = dealbook::demo::load(&app.db, &sample_dir(), None)
        .await
        .unwrap();
    assert_eq!(summary.deals_inserted, 0);
    assert_eq!(summary.companies_inserted, 0);
    assert_eq!(summary.users_inserted, 0);
    assert_eq!(total(&demo, "").await, 8800);
    let after_companies = demo
        .get_json("/api/v1/companies?with_total=true&limit=1")
        .await["total"]
        .clone();
    assert_eq!(before_companies, after_companies);
    assert_eq!(after_companies, 85);
}
api_test!(demo_load_is_idempotent);

async fn demo_history_is_dated_from_csv(app: &TestApp) {
    let demo = load_demo(app).await;
    let row = read_rows("sales_pipeline.csv")
        .into_iter()
        .find(|row| row["deal_stage"] == "Won")
        .unwrap();
    let page = demo
        .get_json(&format!(
            "/api/v1/deals?external_ref={}",
            row["opportunity_id"]
        ))
        .await;
    let deal = &page["data"][0];
    assert_eq!(deal["external_ref"], row["opportunity_id"].as_str());
    assert_eq!(
        deal["amount"]["amount"],
        format!("{}.00", row["close_value"])
    );
    assert_eq!(deal["engaged_on"], row["engage_date"].as_str());
    assert_eq!(deal["closed_on"], row["close_date"].as_str());

    let id = deal["id"].as_str().unwrap();
    let history = demo.get_json(&format!("/api/v1/deals/{id}/history")).await;
    let transitions = history["transitions"].as_array().unwrap();
    let steps: Vec<(&str, &str)> = transitions
        .iter()
        .map(|t| {
            (
                t["to_stage_name"].as_str().unwrap(),
                &t["at"].as_str().unwrap()[..10],
            )
        })
        .collect();
    let engaged = row["engage_date"].as_str();
    let closed = row["close_date"].as_str();
    assert_eq!(
        steps,
        [
            ("Prospecting", engaged),
            ("Engaging", engaged),
            ("Won", closed)
        ]
    );
}
api_test!(demo_history_is_dated_from_csv);
