//! The dashboard step: the funnel and the rep leaderboard in English at desktop width, the
//! same page in Chinese with filters read back from its URL, and the page at phone width.

use serde_json::{Value, json};

use crate::driver::{Browser, StepResult};

/// Shows the dashboard's headings, section states and alerts in failure messages.
const DASHBOARD_PROBE: &str = r#"
    const texts = s => [...document.querySelectorAll(s)].map(e => e.textContent.trim());
    return { url: location.pathname + location.search, headings: texts('h1, h2'),
             loading: document.querySelectorAll('.dashboard .state.loading').length,
             alerts: texts('[role=alert]') };
"#;

/// Returns the funnel's band count and the leaderboard's row count once every section has
/// loaded, else `null`.
const READ_DASHBOARD: &str = r#"
    if (document.querySelector('.dashboard .state.loading')) { return null; }
    const bands = document.querySelectorAll('#dashboard-funnel .funnel-band').length;
    const reps = document.querySelectorAll('#dashboard-leaderboard tbody tr').length;
    return bands > 0 && reps > 0 ? { bands, reps } : null;
"#;

/// Returns whether the page is wider than the window, which would make it scroll sideways.
const PAGE_OVERFLOWS: &str = "return document.documentElement.scrollWidth > innerWidth;";

fn ensure(condition: bool, message: impl FnOnce() -> String) -> StepResult {
    match condition {
        true => Ok(()),
        false => Err(message()),
    }
}

async fn wait_for_dashboard(browser: &Browser) -> StepResult<Value> {
    browser
        .wait_for(
            "the funnel and the leaderboard",
            READ_DASHBOARD,
            vec![],
            DASHBOARD_PROBE,
        )
        .await
}

/// Checks that the texts of the elements matching each selector include the expected text.
async fn wait_for_texts(browser: &Browser, expected: &[(&str, &str)]) -> StepResult {
    let script = "return arguments[0].every(([css, text]) =>
        [...document.querySelectorAll(css)].some(e => e.textContent.trim() === text));";
    let pairs: Vec<Value> = expected
        .iter()
        .map(|(css, text)| json!([css, text]))
        .collect();
    browser
        .wait_for(
            &format!("the texts {expected:?}"),
            script,
            vec![json!(pairs)],
            DASHBOARD_PROBE,
        )
        .await
        .map(|_| ())
}

pub async fn dashboard_renders(browser: &Browser) -> StepResult {
    browser.resize(1440, 2600).await?;
    browser.click(".nav-link[href='/dashboard']").await?;
    browser.select("#language", "en").await?;
    let shape = wait_for_dashboard(browser).await?;
    // The demo pipeline has two open stages and a won stage, drawn as the funnel's bands.
    ensure(shape["bands"] == 3, || {
        format!("the funnel draws 3 bands, not {}", shape["bands"])
    })?;
    wait_for_texts(
        browser,
        &[
            ("h1", "Sales dashboard"),
            ("#dashboard-funnel h2", "Funnel"),
            ("#dashboard-leaderboard h2", "Rep leaderboard"),
            ("#dashboard-leaderboard th", "Won amount"),
        ],
    )
    .await?;
    browser.screenshot("17-dashboard").await?;

    browser.select("#language", "zh-CN").await?;
    wait_for_texts(
        browser,
        &[
            ("h1", "销售仪表盘"),
            ("#dashboard-funnel h2", "销售漏斗"),
            ("#dashboard-leaderboard h2", "销售排行榜"),
            ("#dashboard-leaderboard th", "赢单金额"),
            (".nav-link", "仪表盘"),
        ],
    )
    .await?;
    browser.screenshot("18-dashboard-zh-CN").await?;

    browser
        .goto("/dashboard?from=2017-01-01&to=2017-06-30")
        .await?;
    wait_for_dashboard(browser).await?;
    let period = browser
        .run(
            "return [document.querySelector('#dashboard-from').value, document.querySelector('#dashboard-to').value];",
            vec![],
        )
        .await?;
    ensure(period == json!(["2017-01-01", "2017-06-30"]), || {
        format!("the filter bar reads the period from the URL, but shows {period}")
    })?;

    browser.resize(390, 2400).await?;
    wait_for_dashboard(browser).await?;
    let overflows = browser.run(PAGE_OVERFLOWS, vec![]).await?;
    ensure(overflows == false, || {
        "the dashboard is wider than a 390 px window".to_owned()
    })?;
    browser.screenshot("19-phone-dashboard").await?;
    browser.resize(390, 844).await
}
