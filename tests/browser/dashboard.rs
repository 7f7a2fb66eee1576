//! The dashboard step. It checks the funnel, the rep leaderboard, the win/loss chart and the
//! bottleneck report in English at desktop width, then the same page in Chinese with filters
//! read back from its URL. At phone width it checks that chart texts are readable and
//! unclipped, and that tapping a bar shows its values.

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

/// Returns the row counts of the win/loss chart, the bottleneck report and its stalled list
/// once every section has loaded and each has rows, else `null`.
const READ_REPORTS: &str = r#"
    if (document.querySelector('.dashboard .state.loading')) { return null; }
    const count = s => document.querySelectorAll(s).length;
    const links = [...document.querySelectorAll('#dashboard-bottlenecks .stalled-deals tbody a')]
        .filter(a => /^\/deals\/[0-9a-f-]{36}$/.test(a.getAttribute('href')));
    const shape = {
        reasonRows: count('#dashboard-win-loss [data-dimension=reason] .chart-row'),
        competitorRows: count('#dashboard-win-loss [data-dimension=competitor] .chart-row'),
        stages: count('#dashboard-bottlenecks .stage-timing tbody tr'),
        stageBars: count('#dashboard-bottlenecks .chart-row'),
        stalled: count('#dashboard-bottlenecks .stalled-deals tbody tr'),
        dealLinks: links.length,
        reasons: count('#dashboard-bottlenecks .reasons li'),
        stalledCount: document.querySelector('#dashboard-bottlenecks .stalled-count')?.textContent ?? null,
        alerts: count('.dashboard [role=alert]'),
    };
    return shape.reasonRows > 0 && shape.stages > 0 && shape.stalled > 0 ? shape : null;
"#;

/// Lists every chart text that renders below 12 CSS pixels or lies outside its SVG box.
const CHART_TEXT_PROBLEMS: &str = r#"
    const problems = [];
    const round = r => [r.left, r.top, r.right, r.bottom].map(Math.round).join(',');
    for (const svg of document.querySelectorAll('.dashboard .chart svg')) {
        const box = svg.getBoundingClientRect();
        const scale = box.width / svg.viewBox.baseVal.width;
        const chart = svg.closest('section').id + ' ' + svg.getAttribute('aria-label');
        for (const text of svg.querySelectorAll('text')) {
            const r = text.getBoundingClientRect();
            const size = parseFloat(getComputedStyle(text).fontSize) * scale;
            const name = `${chart}: "${text.textContent}"`;
            if (size < 11.9) { problems.push(`${name} renders at ${size.toFixed(1)} px`); }
            if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
                problems.push(`${name} at ${round(r)} is outside the chart at ${round(box)}`);
            }
        }
    }
    return problems;
"#;

/// Returns the top of the line chart's box, of its highest value label and of its axis
/// maximum label, or `null` before the chart is drawn.
const LINE_TOP_LABELS: &str = r#"
    const svg = document.querySelector('#dashboard-cycle svg');
    const value = svg && svg.querySelector('.chart-point-value');
    const axis = svg && svg.querySelector('.chart-axis-max');
    if (!value || !axis) { return null; }
    return { svg: svg.getBoundingClientRect().top, value: value.getBoundingClientRect().top,
             axis: axis.getBoundingClientRect().top, text: value.textContent };
"#;

/// Returns whether the page is wider than the window, which would make it scroll sideways.
const PAGE_OVERFLOWS: &str = "return document.documentElement.scrollWidth > innerWidth;";

fn ensure(condition: bool, message: impl FnOnce() -> String) -> StepResult {
    match condition {
        true => Ok(()),
        false => Err(message()),
    }
}

async fn wait_for_reports(browser: &Browser) -> StepResult<Value> {
    let shape = browser
        .wait_for(
            "the win/loss chart, the bottleneck stages and the stalled deals",
            READ_REPORTS,
            vec![],
            DASHBOARD_PROBE,
        )
        .await?;
    ensure(shape["alerts"] == 0, || {
        format!("no dashboard section fails, but {shape}")
    })?;
    ensure(shape["stageBars"] == shape["stages"], || {
        format!("the time-in-stage chart draws one row per stage: {shape}")
    })?;
    ensure(shape["dealLinks"] == shape["stalled"], || {
        format!("every stalled deal links to its deal page: {shape}")
    })?;
    ensure(
        shape["reasons"].as_u64() >= shape["stalled"].as_u64(),
        || format!("every stalled deal lists a reason: {shape}"),
    )?;
    ensure(shape["stalledCount"].is_string(), || {
        format!("the stalled list states how many deals stalled: {shape}")
    })?;
    Ok(shape)
}

/// Clicks "Show all" under the stalled list and waits for more rows than the first ten.
async fn all_stalled_deals_shown(browser: &Browser) -> StepResult {
    browser
        .click("#dashboard-bottlenecks .show-all-stalled")
        .await?;
    let script = "const rows = document.querySelectorAll('#dashboard-bottlenecks .stalled-deals tbody tr').length;
        return rows > 10 && !document.querySelector('#dashboard-bottlenecks .show-all-stalled') ? rows : null;";
    browser
        .wait_for(
            "every listed stalled deal after Show all",
            script,
            vec![],
            DASHBOARD_PROBE,
        )
        .await
        .map(|_| ())
}

/// Checks that every chart text is at least 12 px and inside its chart, and that the line
/// chart's top labels are inside its box.
async fn chart_texts_fit(browser: &Browser, width: u32) -> StepResult {
    let problems = browser.run(CHART_TEXT_PROBLEMS, vec![]).await?;
    ensure(problems == json!([]), || {
        format!("at {width} px, chart texts are too small or clipped: {problems}")
    })?;
    let top = browser
        .wait_for(
            "the line chart's top labels",
            LINE_TOP_LABELS,
            vec![],
            DASHBOARD_PROBE,
        )
        .await?;
    // Half a pixel of slack for subpixel rounding of the boxes.
    let svg_top = top["svg"].as_f64().unwrap_or(f64::INFINITY) - 0.5;
    let inside = |name: &str| top[name].as_f64().is_some_and(|label| label >= svg_top);
    ensure(inside("value") && inside("axis"), || {
        format!("at {width} px, the line chart's top labels start above its box: {top}")
    })
}

/// Taps the first win/loss bar and checks that the caption under the chart shows its values.
async fn tapped_bar_shows_value(browser: &Browser) -> StepResult {
    let chart = "#dashboard-win-loss [data-dimension=reason]";
    browser.click(&format!("{chart} .chart-row")).await?;
    let script = "const caption = document.querySelector(arguments[0] + ' .chart-value:not(.muted)');
        const label = document.querySelector(arguments[0] + ' .chart-row title');
        return caption && label && caption.textContent === label.textContent ? caption.textContent : null;";
    browser
        .wait_for(
            "the tapped win/loss bar's values under the chart",
            script,
            vec![json!(chart)],
            DASHBOARD_PROBE,
        )
        .await
        .map(|_| ())
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
            ("#dashboard-win-loss h2", "Wins and losses of closed deals"),
            ("#dashboard-bottlenecks h2", "Bottlenecks"),
            ("#dashboard-stalled", "Stalled deals"),
            (
                "#dashboard-forecast-accuracy h2",
                "Forecast accuracy by month",
            ),
        ],
    )
    .await?;
    wait_for_reports(browser).await?;
    all_stalled_deals_shown(browser).await?;
    chart_texts_fit(browser, 1440).await?;
    browser.screenshot("17-dashboard").await?;
    browser
        .screenshot_element("#dashboard-bottlenecks", "17a-dashboard-bottlenecks")
        .await?;
    browser
        .screenshot_element(
            "#dashboard-bottlenecks .bottleneck-stages",
            "17d-dashboard-bottleneck-stages",
        )
        .await?;
    browser
        .screenshot_element("#dashboard-win-loss", "17b-dashboard-win-loss")
        .await?;
    browser
        .screenshot_element("#dashboard-cycle", "17c-dashboard-cycle")
        .await?;

    browser.select("#language", "zh-CN").await?;
    wait_for_texts(
        browser,
        &[
            ("h1", "销售仪表盘"),
            ("#dashboard-funnel h2", "销售漏斗"),
            ("#dashboard-leaderboard h2", "销售排行榜"),
            ("#dashboard-leaderboard th", "赢单金额"),
            (".nav-link", "仪表盘"),
            ("#dashboard-win-loss h2", "已结商机的赢单与输单"),
            ("#dashboard-bottlenecks h2", "瓶颈分析"),
            ("#dashboard-stalled", "停滞商机"),
        ],
    )
    .await?;
    wait_for_reports(browser).await?;
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
    wait_for_reports(browser).await?;
    let overflows = browser.run(PAGE_OVERFLOWS, vec![]).await?;
    ensure(overflows == false, || {
        "the dashboard is wider than a 390 px window".to_owned()
    })?;
    chart_texts_fit(browser, 390).await?;
    tapped_bar_shows_value(browser).await?;
    browser.screenshot("19-phone-dashboard").await?;
    for (section, name) in [
        ("#dashboard-funnel", "19a-phone-funnel"),
        ("#dashboard-bottlenecks", "19b-phone-bottlenecks"),
        (
            "#dashboard-bottlenecks .bottleneck-stages",
            "19g-phone-bottleneck-stages",
        ),
        ("#dashboard-win-loss", "19c-phone-win-loss"),
        ("#dashboard-cycle", "19d-phone-cycle"),
        (
            "#dashboard-forecast-accuracy",
            "19e-phone-forecast-accuracy",
        ),
        ("#dashboard-segments", "19f-phone-segments"),
    ] {
        browser.screenshot_element(section, name).await?;
    }
    browser.resize(390, 844).await
}
