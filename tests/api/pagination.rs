//! Keyset pagination over 1,000 rows with ties and nulls in the sort keys.

use std::collections::HashSet;

use dealbook_tests::{Session, TestApp, api_test};
use serde_json::{Value, json};

const ROWS: usize = 1000;

async fn create_companies(owner: &Session<'_>) {
    let industries = ["retail", "medical", "software"];
    for batch in 0..ROWS / 25 {
        let requests = (0..25).map(|offset| {
            let index = batch * 25 + offset;
            // A third of the rows have no industry and most share an employee count, so the
            // sort keys are full of ties and nulls.
            let industry = (index % 3 != 0).then(|| industries[index % industries.len()]);
            let employees = (index % 5 != 0).then_some((index % 4) * 10);
            let body = json!({
                "name": format!("Company {:04}", index % 100),
                "industry": industry,
                "employees": employees,
            });
            async move { owner.create("/api/v1/companies", &body).await }
        });
        futures_util::future::join_all(requests).await;
    }
}

/// Walks every page of a sorted list and returns the rows in order.
async fn walk(owner: &Session<'_>, sort: &str, limit: usize) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/companies?sort={sort}&limit={limit}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let page = owner.get_json(&path).await;
        let data = page["data"].as_array().cloned().unwrap_or_default();
        assert!(data.len() <= limit, "a page is never longer than the limit");
        rows.extend(data);
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(rows.len() <= ROWS, "pagination must end");
    }
    rows
}

fn assert_each_row_once(rows: &[Value], sort: &str) {
    let ids: HashSet<&str> = rows.iter().filter_map(|row| row["id"].as_str()).collect();
    assert_eq!(rows.len(), ROWS, "sort {sort}: every row is listed");
    assert_eq!(ids.len(), ROWS, "sort {sort}: no row is listed twice");
}

/// Checks that nulls come last and equal values form one run each.
fn assert_grouped_with_nulls_last(rows: &[Value], field: &str) {
    let values: Vec<&Value> = rows.iter().map(|row| &row[field]).collect();
    let first_null = values
        .iter()
        .position(|value| value.is_null())
        .unwrap_or(values.len());
    assert!(
        values[first_null..].iter().all(|value| value.is_null()),
        "{field}: nulls come last"
    );
    let mut seen = HashSet::new();
    let mut previous: Option<&Value> = None;
    for value in &values[..first_null] {
        if previous != Some(*value) {
            assert!(
                seen.insert(value.to_string()),
                "{field}: equal values are adjacent"
            );
        }
        previous = Some(*value);
    }
}

async fn pagination_handles_ties_and_nulls(app: &TestApp) {
    let owner = app.signup("Pagination Co").await;
    create_companies(&owner).await;

    for (sort, limit) in [
        ("industry", 7),
        ("-employees,industry", 13),
        ("name", 50),
        ("-updated_at", 200),
    ] {
        let rows = walk(&owner, sort, limit).await;
        assert_each_row_once(&rows, sort);
        let first_field = sort.trim_start_matches('-').split(',').next().unwrap_or("");
        if first_field != "updated_at" {
            assert_grouped_with_nulls_last(&rows, first_field);
        }
    }

    let rows = walk(&owner, "-employees,industry", 13).await;
    let employees: Vec<i64> = rows
        .iter()
        .filter_map(|row| row["employees"].as_i64())
        .collect();
    assert!(
        employees.windows(2).all(|pair| pair[0] >= pair[1]),
        "descending order holds"
    );

    let total = owner
        .get_json("/api/v1/companies?with_total=true&limit=1")
        .await;
    assert_eq!(total["total"], ROWS);
}
api_test!(pagination_handles_ties_and_nulls);

async fn cursor_of_other_sort_is_rejected(app: &TestApp) {
    let owner = app.signup("Cursor Co").await;
    for index in 0..3 {
        owner
            .create("/api/v1/companies", &json!({ "name": format!("C{index}") }))
            .await;
    }
    let page = owner.get_json("/api/v1/companies?sort=name&limit=1").await;
    let cursor = page["next_cursor"].as_str().unwrap_or_default();
    let response = owner
        .get(&format!(
            "/api/v1/companies?sort=-name&limit=1&cursor={cursor}"
        ))
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
}
api_test!(cursor_of_other_sort_is_rejected);

async fn list_query_count_is_fixed(app: &TestApp) {
    let owner = app.signup("Query Count Co").await;
    for index in 0..30 {
        owner
            .create("/api/v1/companies", &json!({ "name": format!("C{index}") }))
            .await;
    }
    let (small, _) = app
        .count_statements(owner.get("/api/v1/companies?limit=2"))
        .await;
    let (large, _) = app
        .count_statements(owner.get("/api/v1/companies?limit=30"))
        .await;
    assert_eq!(
        small, large,
        "a list runs the same statements whatever the page size"
    );
    assert!(
        (1..=2).contains(&large),
        "a company page takes {large} statements"
    );
}
api_test!(list_query_count_is_fixed);
