//! `/reports/*`, `/campaigns` and `/quotas`. The demo figures are computed here straight from
//! the sample CSV files, independently of the server, and compared with the reports.

use std::collections::{BTreeMap, HashMap};

use dealbook_tests::{PASSWORD, Session, TestApp, api_test, sample_dir, status_and_json};
use reqwest::{Method, StatusCode};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

const DEMO_PASSWORD: &str = "demo password for report tests";

fn read_rows(name: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(sample_dir().join(name)).unwrap();
    reader.deserialize().map(Result::unwrap).collect()
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

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// Won ÷ closed rounded to four places, as the reports round rates.
fn expected_rate(won: u64, closed: u64) -> String {
    let mut rate = (Decimal::from(won) / Decimal::from(closed))
        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero);
    rate.rescale(4);
    rate.to_string()
}

fn cents(amount: Decimal) -> String {
    let mut amount = amount;
    amount.rescale(2);
    amount.to_string()
}

/// Won count, lost count and won amount per key of a pipeline row.
#[derive(Debug, Default)]
struct Outcome {
    won: u64,
    lost: u64,
    won_amount: Decimal,
}

fn outcomes_by(key: impl Fn(&HashMap<String, String>) -> String) -> BTreeMap<String, Outcome> {
    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    for row in read_rows("sales_pipeline.csv") {
        let outcome = outcomes.entry(key(&row)).or_default();
        match row["deal_stage"].as_str() {
            "Won" => {
                outcome.won += 1;
                outcome.won_amount += dec(&row["close_value"]);
            }
            "Lost" => outcome.lost += 1,
            _ => {}
        }
    }
    outcomes
}

fn row_by_key<'a>(rows: &'a Value, key: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|row| row["key"] == key || row["label"] == key)
        .unwrap_or_else(|| panic!("no report row for {key}"))
}

async fn demo_funnel_matches_csv(app: &TestApp) {
    let demo = load_demo(app).await;
    let rows = read_rows("sales_pipeline.csv");
    let count = |stage: &str| rows.iter().filter(|r| r["deal_stage"] == stage).count() as u64;
    let engaged = rows.iter().filter(|r| !r["engage_date"].is_empty()).count() as u64;

    let pipelines = demo.get_json("/api/v1/pipelines").await;
    let pipeline_id = pipelines["data"][0]["id"].as_str().unwrap();
    let funnel = demo
        .get_json(&format!("/api/v1/reports/funnel?pipeline_id={pipeline_id}"))
        .await;
    let stages = &funnel["stages"];
    let stage = |name: &str| {
        stages
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(stage("Prospecting")["entered"], 8800);
    assert_eq!(stage("Prospecting")["moved_on"], engaged);
    assert_eq!(stage("Engaging")["entered"], engaged);
    assert_eq!(stage("Engaging")["moved_on"], count("Won"));
    assert_eq!(stage("Engaging")["dropped"], engaged - count("Won"));
    assert_eq!(stage("Won")["entered"], count("Won"));
    assert_eq!(stage("Lost")["entered"], count("Lost"));
    for outcome in ["Won", "Lost"] {
        assert_eq!(stage(outcome)["moved_on"], 0, "{outcome} is an outcome");
        assert_eq!(stage(outcome)["dropped"], 0, "{outcome} is an outcome");
        assert_eq!(stage(outcome)["conversion_to_next"], Value::Null);
    }
    assert_eq!(
        funnel["overall_conversion"],
        expected_rate(count("Won"), 8800)
    );

    let engaging = stage("Engaging");
    let csv = demo_csv(
        &demo,
        &format!("/api/v1/reports/funnel?pipeline_id={pipeline_id}"),
    )
    .await;
    let line = format!(
        "Engaging,open,{},{},{}",
        engaging["entered"], engaging["moved_on"], engaging["dropped"]
    );
    assert!(csv.contains(&line), "CSV has {line}: {csv}");
}
api_test!(demo_funnel_matches_csv);

async fn demo_csv(session: &Session<'_>, path: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    let response = session.get(&format!("{path}{separator}format=csv")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    response.text().await.unwrap()
}

async fn demo_rep_performance_matches_csv(app: &TestApp) {
    let demo = load_demo(app).await;
    let report = demo.get_json("/api/v1/reports/rep-performance").await;
    assert_eq!(report["currency"], "USD");
    for (agent, outcome) in outcomes_by(|row| row["sales_agent"].clone()) {
        let row = row_by_key(&report["users"], &agent);
        assert_eq!(row["won_count"], outcome.won, "won deals of {agent}");
        assert_eq!(
            row["won_amount"]["amount"],
            cents(outcome.won_amount),
            "won amount of {agent}"
        );
        assert_eq!(
            row["win_rate"],
            expected_rate(outcome.won, outcome.won + outcome.lost),
            "win rate of {agent}"
        );
    }

    let rows = read_rows("sales_pipeline.csv");
    let won: Vec<&HashMap<String, String>> =
        rows.iter().filter(|r| r["deal_stage"] == "Won").collect();
    let total_won: Decimal = won.iter().map(|r| dec(&r["close_value"])).sum();
    let open = rows
        .iter()
        .filter(|r| matches!(r["deal_stage"].as_str(), "Prospecting" | "Engaging"))
        .count();
    let totals = &report["totals"];
    assert_eq!(totals["won_count"], won.len());
    assert_eq!(totals["open_count"], open);
    assert_eq!(totals["won_amount"]["amount"], cents(total_won));

    let days: i64 = won
        .iter()
        .map(|r| days_between(&r["engage_date"], &r["close_date"]))
        .sum();
    let mut average = (Decimal::from(days) / Decimal::from(won.len()))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    average.rescale(2);
    assert_eq!(totals["average_cycle_days"], average.to_string());
}
api_test!(demo_rep_performance_matches_csv);

/// Days from `from` to `to`, both `YYYY-MM-DD`.
fn days_between(from: &str, to: &str) -> i64 {
    day_number(to) - day_number(from)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (Howard Hinnant's days-from-civil).
fn day_number(date: &str) -> i64 {
    let parts: Vec<i64> = date.split('-').map(|part| part.parse().unwrap()).collect();
    let (month, day) = (parts[1], parts[2]);
    let year = parts[0] - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

async fn demo_breakdowns_match_csv(app: &TestApp) {
    let demo = load_demo(app).await;
    let offices: HashMap<String, String> = read_rows("sales_teams.csv")
        .into_iter()
        .map(|row| (row["sales_agent"].clone(), row["regional_office"].clone()))
        .collect();
    let report = demo
        .get_json("/api/v1/reports/breakdown?dimension=region")
        .await;
    assert_eq!(report["dimension"], "region");
    for (region, outcome) in outcomes_by(|row| offices[&row["sales_agent"]].clone()) {
        let row = row_by_key(&report["rows"], &region);
        assert_eq!(
            row["won_amount"]["amount"],
            cents(outcome.won_amount),
            "region {region}"
        );
        assert_eq!(row["won_count"], outcome.won, "region {region}");
    }

    // The pipeline spells one product `GTXPro` where the product list has `GTX Pro`.
    let series: HashMap<String, String> = read_rows("products.csv")
        .into_iter()
        .map(|row| (row["product"].replace(' ', ""), row["series"].clone()))
        .collect();
    let report = demo
        .get_json("/api/v1/reports/breakdown?dimension=product_line")
        .await;
    for (line, outcome) in outcomes_by(|row| series[&row["product"].replace(' ', "")].clone()) {
        let row = row_by_key(&report["rows"], &line);
        assert_eq!(
            row["won_amount"]["amount"],
            cents(outcome.won_amount),
            "product series {line}"
        );
        assert_eq!(
            row["win_rate"],
            expected_rate(outcome.won, outcome.won + outcome.lost),
            "product series {line}"
        );
    }

    let gtx = row_by_key(&report["rows"], "GTX");
    let csv = demo_csv(&demo, "/api/v1/reports/breakdown?dimension=product_line").await;
    let amount = gtx["won_amount"]["amount"].as_str().unwrap();
    assert!(
        csv.lines()
            .any(|line| line.starts_with("segment,product_line,GTX,") && line.contains(amount)),
        "CSV has the GTX won amount {amount}"
    );
}
api_test!(demo_breakdowns_match_csv);

async fn report_filters_by_close_period(app: &TestApp) {
    let demo = load_demo(app).await;
    let rows = read_rows("sales_pipeline.csv");
    let in_march = |r: &&HashMap<String, String>| r["close_date"].starts_with("2017-03");
    let won: Decimal = rows
        .iter()
        .filter(in_march)
        .filter(|r| r["deal_stage"] == "Won")
        .map(|r| dec(&r["close_value"]))
        .sum();
    let lost = rows
        .iter()
        .filter(in_march)
        .filter(|r| r["deal_stage"] == "Lost")
        .count();
    let report = demo
        .get_json("/api/v1/reports/sales-cycle?from=2017-03-01&to=2017-03-31")
        .await;
    let march = row_by_key(&report["rows"], "2017-03");
    assert_eq!(march["won_amount"]["amount"], cents(won));
    assert_eq!(march["lost_count"], lost);
    assert_eq!(report["period"]["from"], "2017-03-01");
    assert_eq!(report["period"]["time_zone"], "America/New_York");
    assert!(march["median_cycle_days"].is_string());
}
api_test!(report_filters_by_close_period);

/// Creates a deal in the first pipeline's stage named `stage`.
async fn create_deal(session: &Session<'_>, stage: &str, fields: Value) -> Value {
    let pipelines = session.get_json("/api/v1/pipelines").await;
    let pipeline = &pipelines["data"][0];
    let stage_id = pipeline["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == stage)
        .unwrap()["id"]
        .clone();
    let mut body = json!({
        "name": format!("{stage} deal"),
        "pipeline_id": pipeline["id"],
        "stage_id": stage_id,
    });
    for (key, value) in fields.as_object().unwrap() {
        body[key] = value.clone();
    }
    session.create("/api/v1/deals", &body).await
}

async fn channel_roi_converts_currencies(app: &TestApp) {
    let owner = app.signup("ROI Co").await;
    create_deal(
        &owner,
        "Won",
        json!({
            "amount": { "amount": "1000.00", "currency": "EUR" },
            "exchange_rate": "1.0837",
            "channel": "events",
            "closed_on": "2026-03-10",
        }),
    )
    .await;
    create_deal(
        &owner,
        "Won",
        json!({
            "amount": { "amount": "0.01", "currency": "USD" },
            "channel": " Events",
            "closed_on": "2026-03-11",
        }),
    )
    .await;
    let campaign = json!({
        "name": "Trade fair",
        "channel": "events",
        "period_start": "2026-03-01",
        "period_end": "2026-03-31",
        "cost": { "amount": "500.00", "currency": "USD" },
    });
    owner.create("/api/v1/campaigns", &campaign).await;
    // 16 of its 30 days fall in March, so March carries 16/30 of its cost: 160.00.
    let straddling = json!({
        "name": "Spring roadshow",
        "channel": "EVENTS",
        "period_start": "2026-03-16",
        "period_end": "2026-04-14",
        "cost": { "amount": "300.00", "currency": "USD" },
    });
    owner.create("/api/v1/campaigns", &straddling).await;

    let report = owner
        .get_json("/api/v1/reports/channel-roi?from=2026-03-01&to=2026-03-31")
        .await;
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        1,
        "channels match whatever their case: {rows:?}"
    );
    let events = &rows[0];
    assert_eq!(events["channel"], "events");
    assert_eq!(events["won_count"], 2);
    // 1000 EUR × 1.0837 + 0.01 USD = 1083.71 USD, never 1000.01 added raw.
    assert_eq!(events["won_amount"]["amount"], "1083.71");
    assert_eq!(events["campaign_cost"]["amount"], "660.00");
    // (1083.71 − 660) ÷ 660 = 0.641984… -> 0.6420
    assert_eq!(events["roi"], "0.6420");

    let whole = owner.get_json("/api/v1/reports/channel-roi").await;
    assert_eq!(whole["rows"][0]["campaign_cost"]["amount"], "800.00");
}
api_test!(channel_roi_converts_currencies);

async fn campaign_crud_round_trip(app: &TestApp) {
    let owner = app.signup("Campaign Co").await;
    let body = json!({
        "name": "Webinar",
        "channel": "online",
        "period_start": "2026-05-01",
        "period_end": "2026-05-31",
        "cost": { "amount": "1200", "currency": "USD" },
    });
    let campaign = owner.create("/api/v1/campaigns", &body).await;
    assert_eq!(campaign["cost"]["amount"], "1200.00");
    let path = format!("/api/v1/campaigns/{}", campaign["id"].as_str().unwrap());

    let patched = owner
        .patch(&path, &json!({ "name": "Webinar series" }))
        .await;
    let (status, patched) = status_and_json(patched).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["version"], 2);

    let stale = owner
        .send_with_headers(
            Method::PATCH,
            &path,
            Some(&json!({ "name": "Late" })),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);

    let backwards = json!({ "period_end": "2026-04-01" });
    let (status, problem) = status_and_json(owner.patch(&path, &backwards).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "period_end");

    let euro = json!({ "cost": { "amount": "5", "currency": "EUR" } });
    let (status, problem) = status_and_json(owner.patch(&path, &euro).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["code"], "not_base_currency");

    assert_eq!(owner.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(owner.get(&path).await.status(), StatusCode::NOT_FOUND);
    let listed = owner
        .get_json("/api/v1/campaigns?include_deleted=true&with_total=true")
        .await;
    assert_eq!(listed["total"], 1);
    let restored = owner.post(&format!("{path}/restore"), &json!({})).await;
    assert_eq!(restored.status(), StatusCode::OK);
    assert_eq!(owner.get(&path).await.status(), StatusCode::OK);
}
api_test!(campaign_crud_round_trip);

async fn quota_attainment_counts_won_deals(app: &TestApp) {
    let owner = app.signup("Quota Co").await;
    let user_id = owner.user_id.to_string();
    for (amount, closed_on) in [("600.00", "2026-04-03"), ("300.00", "2026-06-30")] {
        create_deal(
            &owner,
            "Won",
            json!({
                "amount": { "amount": amount, "currency": "USD" },
                "closed_on": closed_on,
            }),
        )
        .await;
    }
    create_deal(
        &owner,
        "Won",
        json!({
            "amount": { "amount": "999.00", "currency": "USD" },
            "closed_on": "2026-07-01",
        }),
    )
    .await;
    let quota = json!({
        "user_id": user_id,
        "period_kind": "quarter",
        "period_start": "2026-04-01",
        "target": { "amount": "1000", "currency": "USD" },
    });
    let created = owner.create("/api/v1/quotas", &quota).await;
    assert_eq!(created["period_end"], "2026-06-30");

    let report = owner
        .get_json("/api/v1/reports/quota-attainment?from=2026-04-01&to=2026-06-30")
        .await;
    let row = &report["rows"][0];
    assert_eq!(row["won_amount"]["amount"], "900.00");
    assert_eq!(row["won_count"], 2);
    assert_eq!(row["attainment"], "0.9000");
    assert_eq!(row["gap"]["amount"], "100.00");

    let cases = [
        (
            json!({ "user_id": user_id, "team_id": user_id, "period_kind": "month",
                    "period_start": "2026-04-01", "target": { "amount": "1", "currency": "USD" } }),
            "team_id",
        ),
        (
            json!({ "user_id": user_id, "period_kind": "quarter",
                    "period_start": "2026-05-01", "target": { "amount": "1", "currency": "USD" } }),
            "period_start",
        ),
        (
            json!({ "user_id": user_id, "period_kind": "month",
                    "period_start": "2026-05-01", "target": { "amount": "1", "currency": "EUR" } }),
            "target.currency",
        ),
    ];
    for (body, field) in cases {
        let (status, problem) = status_and_json(owner.post("/api/v1/quotas", &body).await).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
}
api_test!(quota_attainment_counts_won_deals);

async fn rep_sees_only_own_rows(app: &TestApp) {
    let owner = app.signup("Visibility Co").await;
    let email = format!("rep-{}@example.com", uuid::Uuid::now_v7().simple());
    let body = json!({ "name": "Rep One", "email": email, "role": "rep", "password": PASSWORD });
    owner.create("/api/v1/users", &body).await;
    let login = json!({ "email": email, "password": PASSWORD });
    let response = app
        .request(Method::POST, "/api/v1/auth/login", None, Some(&login))
        .await;
    let tokens = response.json().await.unwrap();
    let rep = Session::from_tokens(app, &tokens, email);

    let won = |amount: &str| json!({ "amount": { "amount": amount, "currency": "USD" } });
    let owners_deal = create_deal(&owner, "Won", won("700")).await;
    let reps_deal = create_deal(&rep, "Won", won("200")).await;

    // The same visibility holds for reading deals as for reports.
    let listed = rep.get_json("/api/v1/deals").await;
    let ids: Vec<&Value> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|deal| &deal["id"])
        .collect();
    assert_eq!(
        ids,
        vec![&reps_deal["id"]],
        "a rep lists only their own deals"
    );
    let path = format!("/api/v1/deals/{}", owners_deal["id"].as_str().unwrap());
    assert_eq!(rep.get(&path).await.status(), StatusCode::NOT_FOUND);
    let change = json!({ "name": "Taken over" });
    assert_eq!(
        rep.patch(&path, &change).await.status(),
        StatusCode::NOT_FOUND
    );
    let breakdown = rep
        .get_json("/api/v1/reports/breakdown?dimension=region")
        .await;
    assert_eq!(breakdown["totals"]["won_amount"]["amount"], "200.00");

    let report = rep.get_json("/api/v1/reports/rep-performance").await;
    let users = report["users"].as_array().unwrap();
    assert_eq!(users.len(), 1, "a rep sees one user row: {users:?}");
    assert_eq!(users[0]["key"], rep.user_id.to_string());
    assert_eq!(users[0]["won_amount"]["amount"], "200.00");
    assert_eq!(report["totals"]["won_amount"]["amount"], "900.00");

    let other = format!(
        "/api/v1/reports/breakdown?dimension=region&owner_id={}",
        owner.user_id
    );
    assert_eq!(rep.get(&other).await.status(), StatusCode::FORBIDDEN);

    let report = owner.get_json("/api/v1/reports/rep-performance").await;
    assert_eq!(report["users"].as_array().unwrap().len(), 2);
}
api_test!(rep_sees_only_own_rows);

async fn report_rejects_bad_parameters(app: &TestApp) {
    let owner = app.signup("Bad Params Co").await;
    let cases = [
        ("/api/v1/reports/breakdown?dimension=planet", "dimension"),
        ("/api/v1/reports/forecast?time_zone=Mars/Base", "time_zone"),
        (
            "/api/v1/reports/forecast?from=2026-05-01&to=2026-04-01",
            "to",
        ),
        ("/api/v1/reports/funnel", "pipeline_id"),
    ];
    for (path, field) in cases {
        let (status, problem) = status_and_json(owner.get(path).await).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], field, "{path}");
    }
}
api_test!(report_rejects_bad_parameters);

/// Nearest-rank percentile of sorted values.
fn nearest_rank(sorted: &[i64], percent: usize) -> i64 {
    let rank = (sorted.len() * percent).div_ceil(100).max(1);
    sorted[rank - 1]
}

async fn demo_bottlenecks_match_csv(app: &TestApp) {
    let demo = load_demo(app).await;
    let pipelines = demo.get_json("/api/v1/pipelines").await;
    let pipeline_id = pipelines["data"][0]["id"].as_str().unwrap();
    let path = format!(
        "/api/v1/reports/bottlenecks?pipeline_id={pipeline_id}&from=2017-07-01&to=2017-12-31\
         &baseline_days=180&time_zone=UTC&limit=5"
    );
    let report = demo.get_json(&path).await;

    // In the demo a deal enters Engaging on its engage date and leaves it on its close date.
    let date = |text: &str| {
        time::Date::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap()
    };
    let window = |from: &str, to: &str| {
        let (from, to) = (date(from), date(to));
        let mut days = Vec::new();
        let mut won = 0;
        for row in read_rows("sales_pipeline.csv") {
            if row["close_date"].is_empty() || row["engage_date"].is_empty() {
                continue;
            }
            let closed = date(&row["close_date"]);
            if closed < from || closed > to {
                continue;
            }
            days.push((closed - date(&row["engage_date"])).whole_days());
            won += u64::from(row["deal_stage"] == "Won");
        }
        days.sort_unstable();
        (days, won)
    };
    let (period, won) = window("2017-07-01", "2017-12-31");
    let (baseline, baseline_won) = window("2017-01-02", "2017-06-30");
    assert_eq!(report["baseline"]["from"], "2017-01-02");
    assert_eq!(report["baseline"]["to"], "2017-06-30");

    let engaging = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|stage| stage["name"] == "Engaging")
        .unwrap();
    let days = |value: i64| cents(Decimal::from(value));
    assert_eq!(engaging["exits"], period.len() as u64);
    assert_eq!(engaging["median_days"], days(nearest_rank(&period, 50)));
    assert_eq!(engaging["p75_days"], days(nearest_rank(&period, 75)));
    assert_eq!(engaging["p90_days"], days(nearest_rank(&period, 90)));
    assert_eq!(
        engaging["conversion"],
        expected_rate(won, period.len() as u64)
    );
    assert_eq!(engaging["baseline_exits"], baseline.len() as u64);
    assert_eq!(
        engaging["baseline_median_days"],
        days(nearest_rank(&baseline, 50))
    );
    assert_eq!(
        engaging["baseline_conversion"],
        expected_rate(baseline_won, baseline.len() as u64)
    );

    // No demo deal has an activity, so every open deal is stalled; Engaging deals have sat
    // in their stage since 2017, far over any p90.
    let open = read_rows("sales_pipeline.csv")
        .iter()
        .filter(|row| matches!(row["deal_stage"].as_str(), "Prospecting" | "Engaging"))
        .count() as u64;
    assert_eq!(report["stalled_count"], open);
    let stalled = report["stalled"].as_array().unwrap();
    assert_eq!(stalled.len(), 5, "limit caps the list");
    let amounts: Vec<Decimal> = stalled
        .iter()
        .map(|deal| dec(deal["amount"]["amount"].as_str().unwrap_or("0")))
        .collect();
    assert!(
        amounts.windows(2).all(|pair| pair[0] >= pair[1]),
        "{amounts:?}"
    );
    for deal in stalled {
        assert!(deal["owner_name"].is_string(), "{deal}");
        let reasons = deal["reasons"].as_array().unwrap();
        assert!(reasons.contains(&json!("no_recent_activity")), "{deal}");
    }

    let csv = demo_csv(&demo, &path).await;
    let line = format!(
        "stage,{},Engaging,Engaging,,{}",
        engaging["stage_id"].as_str().unwrap(),
        period.len()
    );
    assert!(csv.contains(&line), "CSV has {line}: {csv}");
    assert_eq!(
        csv.lines()
            .filter(|line| line.starts_with("stalled_deal,"))
            .count(),
        5
    );
}
api_test!(demo_bottlenecks_match_csv);

async fn bottlenecks_reject_bad_knobs(app: &TestApp) {
    let owner = app.signup("Knob Co").await;
    let pipelines = owner.get_json("/api/v1/pipelines").await;
    let pipeline_id = pipelines["data"][0]["id"].as_str().unwrap();
    for (knobs, field) in [
        ("stale_days=0", "stale_days"),
        ("baseline_days=5000", "baseline_days"),
        ("limit=501", "limit"),
    ] {
        let path = format!("/api/v1/reports/bottlenecks?pipeline_id={pipeline_id}&{knobs}");
        let (status, problem) = status_and_json(owner.get(&path).await).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{knobs}: {problem}"
        );
        let named = problem["errors"][0]["field"] == field || problem.to_string().contains(field);
        assert!(named, "{knobs} names {field}: {problem}");
    }
    let path = format!("/api/v1/reports/bottlenecks?pipeline_id={pipeline_id}&stale_days=abc");
    let (status, problem) = status_and_json(owner.get(&path).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("stale_days"),
        "{problem}"
    );
    let (status, problem) = status_and_json(owner.get("/api/v1/reports/bottlenecks").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "pipeline_id");

    for period in [
        "from=0001-01-01&to=0001-02-01",
        "from=9999-12-01&to=9999-12-31",
    ] {
        let path = format!("/api/v1/reports/bottlenecks?pipeline_id={pipeline_id}&{period}");
        let (status, problem) = status_and_json(owner.get(&path).await).await;
        assert!(
            status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{period}: {status} {problem}"
        );
    }

    let empty = owner
        .get_json(&format!(
            "/api/v1/reports/bottlenecks?pipeline_id={pipeline_id}"
        ))
        .await;
    assert_eq!(empty["stalled_count"], 0);
    assert!(
        empty["stages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|stage| stage["exits"] == 0)
    );
}
api_test!(bottlenecks_reject_bad_knobs);

async fn quota_duplicates_rejected(app: &TestApp) {
    let owner = app.signup("Twice Co").await;
    let quota = |kind: &str| {
        json!({
            "user_id": owner.user_id,
            "period_kind": kind,
            "period_start": "2026-04-01",
            "target": { "amount": "1000", "currency": "USD" },
        })
    };
    let first = owner.create("/api/v1/quotas", &quota("month")).await;
    let (status, problem) =
        status_and_json(owner.post("/api/v1/quotas", &quota("month")).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "duplicate_quota");

    // A quarter starting the same day is another target.
    let quarter = owner.create("/api/v1/quotas", &quota("quarter")).await;
    let path = format!("/api/v1/quotas/{}", quarter["id"].as_str().unwrap());
    let change = json!({ "period_kind": "month" });
    let (status, problem) = status_and_json(owner.patch(&path, &change).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "duplicate_quota");

    // Deleting the first frees its period; restoring it then clashes with the new one.
    let first_path = format!("/api/v1/quotas/{}", first["id"].as_str().unwrap());
    assert_eq!(
        owner.delete(&first_path).await.status(),
        StatusCode::NO_CONTENT
    );
    owner.create("/api/v1/quotas", &quota("month")).await;
    let restored = owner
        .post(&format!("{first_path}/restore"), &json!({}))
        .await;
    assert_eq!(restored.status(), StatusCode::CONFLICT);
    let listed = owner.get_json("/api/v1/quotas").await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);
}
api_test!(quota_duplicates_rejected);

async fn demo_forecast_accuracy_matches_csv(app: &TestApp) {
    let demo = load_demo(app).await;
    let report = demo
        .get_json("/api/v1/reports/forecast-accuracy?from=2017-03-01&to=2017-08-31")
        .await;
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6, "{rows:?}");

    // The demo backfills a snapshot at the start of each month in New York time, where the
    // UTC midnight of a sample date is still the day before. So a deal is in the forecast of
    // month M when it was engaged by M's first day and closed after it, within M.
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = |text: &str| time::Date::parse(text, format).unwrap();
    let sample = read_rows("sales_pipeline.csv");
    for row in rows {
        let month = row["month"].as_str().unwrap();
        let first = date(&format!("{month}-01"));
        let in_month = |day: time::Date| day.year() == first.year() && day.month() == first.month();
        let mut forecast = (0u64, Decimal::ZERO);
        let mut won = (0u64, Decimal::ZERO);
        for deal in &sample {
            if deal["close_date"].is_empty() || !in_month(date(&deal["close_date"])) {
                continue;
            }
            let closed = date(&deal["close_date"]);
            let value = dec(&deal["close_value"]);
            let engaged = !deal["engage_date"].is_empty() && date(&deal["engage_date"]) <= first;
            if engaged && closed > first {
                forecast.0 += 1;
                forecast.1 += value;
            }
            if deal["deal_stage"] == "Won" {
                won.0 += 1;
                won.1 += value;
            }
        }
        assert_eq!(row["snapshot_on"], format!("{month}-01"), "{row}");
        assert_eq!(row["forecast_amount"]["amount"], cents(forecast.1), "{row}");
        assert_eq!(row["won_count"], won.0, "{row}");
        assert_eq!(row["won_amount"]["amount"], cents(won.1), "{row}");
        let weighted = dec(row["weighted_forecast"]["amount"].as_str().unwrap());
        assert!(
            weighted <= forecast.1,
            "weighting never raises the amount: {row}"
        );
        assert!(weighted > Decimal::ZERO, "{row}");
    }

    let csv = demo_csv(
        &demo,
        "/api/v1/reports/forecast-accuracy?from=2017-03-01&to=2017-08-31",
    )
    .await;
    assert_eq!(csv.lines().count(), 7, "a header and six months: {csv}");

    let (status, problem) = status_and_json(
        demo.get("/api/v1/reports/forecast-accuracy?region=East")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "region");

    let path = "/api/v1/reports/forecast-accuracy?from=1900-01-01&to=2100-12-31";
    let (status, problem) = status_and_json(demo.get(path).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "from");
}
api_test!(demo_forecast_accuracy_matches_csv);

async fn forecast_snapshot_taken_on_request(app: &TestApp) {
    let owner = app.signup("Snapshot Co").await;
    create_deal(
        &owner,
        "Qualified",
        json!({
            "amount": { "amount": "1000.00", "currency": "USD" },
            "expected_close_date": "2099-01-15",
        }),
    )
    .await;
    let (status, taken) = status_and_json(
        owner
            .post("/api/v1/reports/forecast-snapshots", &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{taken}");
    assert_eq!(taken["rows"], 1);
    // A second snapshot on the same day replaces the first.
    let again = owner
        .post("/api/v1/reports/forecast-snapshots", &json!({}))
        .await;
    assert_eq!(again.status(), StatusCode::CREATED);

    let email = format!("rep-{}@example.com", uuid::Uuid::now_v7().simple());
    let body = json!({ "name": "Rep", "email": email, "role": "rep", "password": PASSWORD });
    owner.create("/api/v1/users", &body).await;
    let login = json!({ "email": email, "password": PASSWORD });
    let tokens = app
        .request(Method::POST, "/api/v1/auth/login", None, Some(&login))
        .await
        .json()
        .await
        .unwrap();
    let rep = Session::from_tokens(app, &tokens, email);
    let rejected = rep
        .post("/api/v1/reports/forecast-snapshots", &json!({}))
        .await;
    assert_eq!(rejected.status(), StatusCode::FORBIDDEN);
}
api_test!(forecast_snapshot_taken_on_request);

async fn deal_counts_under_each_product_line(app: &TestApp) {
    let owner = app.signup("Lines Co").await;
    let product = |name: &str, line: &str| {
        json!({
            "name": name,
            "product_line": line,
            "list_price": { "amount": "100", "currency": "USD" },
        })
    };
    let hardware = owner
        .create("/api/v1/products", &product("Router", "Hardware"))
        .await;
    let support = owner
        .create("/api/v1/products", &product("Care plan", "Services"))
        .await;
    let item = |product: &Value| {
        json!({
            "name": product["name"],
            "product_id": product["id"],
            "quantity": "1",
            "unit_price": { "amount": "100", "currency": "USD" },
        })
    };
    let won = |amount: &str, items: Vec<Value>| {
        json!({
            "amount": { "amount": amount, "currency": "USD" },
            "closed_on": "2026-05-04",
            "line_items": items,
        })
    };
    create_deal(
        &owner,
        "Won",
        won("500", vec![item(&hardware), item(&support)]),
    )
    .await;
    create_deal(&owner, "Won", won("300", vec![item(&hardware)])).await;

    let report = owner
        .get_json("/api/v1/reports/breakdown?dimension=product_line")
        .await;
    let hardware_row = row_by_key(&report["rows"], "Hardware");
    assert_eq!(hardware_row["won_count"], 2);
    assert_eq!(hardware_row["won_amount"]["amount"], "800.00");
    let services_row = row_by_key(&report["rows"], "Services");
    assert_eq!(services_row["won_count"], 1);
    assert_eq!(services_row["won_amount"]["amount"], "500.00");
    assert_eq!(
        report["totals"]["won_count"], 2,
        "totals count each deal once"
    );
    assert_eq!(report["totals"]["won_amount"]["amount"], "800.00");

    let services = owner
        .get_json("/api/v1/reports/breakdown?dimension=region&product_line=Services")
        .await;
    assert_eq!(services["totals"]["won_count"], 1);
    assert_eq!(services["totals"]["won_amount"]["amount"], "500.00");
}
api_test!(deal_counts_under_each_product_line);
