//! The scenario, in order: sign in and read the board, then move a card, and move a card
//! that someone else changed. Edit a deal, add a note and a task to it, and check the task
//! off under My tasks. Visit a company and a contact. Refresh the tokens and lose them.
//! Switch to Chinese, use the board and the deal list at phone width, and sign out. Each
//! step checks the page, and most save a screenshot.

use dealbook_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::DEMO_PASSWORD;
use crate::driver::{Browser, StepResult};

/// The demo pipeline's stages with their deal counts as the board writes them.
const DEMO_COUNTS: [(&str, &str); 4] = [
    ("Prospecting", "500"),
    ("Engaging", "1,589"),
    ("Won", "4,238"),
    ("Lost", "2,473"),
];

/// Returns `[[stage name, count text], …]` once every column shows its cards, else `null`.
const READ_COLUMNS: &str = r#"
    const columns = [...document.querySelectorAll('.column')];
    if (columns.length === 0 || document.querySelector('.column .state.loading, .deal-card.saving')) {
        return null;
    }
    return columns.map(c => [c.querySelector('.column-name').textContent, c.querySelector('.column-count').textContent]);
"#;

/// Shows the page's headings, columns and alerts in failure messages.
const PROBE: &str = r#"
    const texts = s => [...document.querySelectorAll(s)].map(e => e.textContent.trim());
    return { url: location.pathname, headings: texts('h1, h2'), columns: texts('.column-head'), alerts: texts('[role=alert]') };
"#;

/// Fails with `message` unless `condition` holds.
fn ensure(condition: bool, message: impl FnOnce() -> String) -> StepResult {
    match condition {
        true => Ok(()),
        false => Err(message()),
    }
}

/// Returns the expected column texts with some counts replaced.
fn counts_with(changes: &[(&str, &str)]) -> Value {
    let columns: Vec<Value> = DEMO_COUNTS
        .iter()
        .map(|(name, count)| {
            let count = changes
                .iter()
                .find(|(changed, _)| changed == name)
                .map_or(*count, |(_, count)| count);
            json!([name, count])
        })
        .collect();
    Value::Array(columns)
}

/// Waits until the board shows exactly `expected` as `[[name, count], …]`.
async fn wait_for_counts(browser: &Browser, expected: &Value) -> StepResult {
    let script = format!(
        "const read = (() => {{ {READ_COLUMNS} }})(); \
         return JSON.stringify(read) === JSON.stringify(arguments[0]) ? read : null;"
    );
    browser
        .wait_for(
            &format!("the board counts {expected}"),
            &script,
            vec![expected.clone()],
            PROBE,
        )
        .await
        .map(|_| ())
}

/// Returns the id of a column's stage by its name.
async fn stage_id(browser: &Browser, name: &str) -> StepResult<String> {
    let script = "const column = [...document.querySelectorAll('.column')]
        .find(c => c.querySelector('.column-name').textContent === arguments[0]);
        return column ? column.dataset.stageId : null;";
    let id = browser.run(script, vec![json!(name)]).await?;
    id.as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("the board has no column {name}"))
}

/// Signs the demo owner in through the API, for checks of what the server stored.
async fn api_token(app: &TestApp) -> StepResult<String> {
    let body = json!({ "email": "demo@example.com", "password": DEMO_PASSWORD });
    let response = app
        .request(Method::POST, "/api/v1/auth/login", None, Some(&body))
        .await;
    let tokens: Value = response.json().await.map_err(|error| error.to_string())?;
    tokens["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("the API sign-in failed: {tokens}"))
}

async fn api_get(app: &TestApp, token: &str, path: &str) -> StepResult<Value> {
    let response = app.request(Method::GET, path, Some(token), None).await;
    ensure(response.status() == StatusCode::OK, || {
        format!("GET {path} returned {}", response.status())
    })?;
    response.json().await.map_err(|error| error.to_string())
}

async fn sign_in(browser: &Browser) -> StepResult {
    browser.goto("/").await?;
    browser
        .wait_for(
            "the sign-in form",
            "return document.querySelector('#email');",
            vec![],
            PROBE,
        )
        .await?;
    browser.screenshot("01-sign-in").await?;
    browser.type_text("#email", "demo@example.com").await?;
    browser.type_text("#password", DEMO_PASSWORD).await?;
    browser.click("#sign-in").await
}

async fn board_shows_demo_counts(browser: &Browser) -> StepResult {
    wait_for_counts(browser, &counts_with(&[])).await?;
    let cards = browser
        .run(
            "return document.querySelectorAll('.deal-card').length;",
            vec![],
        )
        .await?;
    ensure(cards.as_u64() == Some(80), || {
        format!("each of the 4 columns shows its first 20 cards, but the board has {cards}")
    })?;
    browser.screenshot("02-board").await
}

/// Drags the first card of column `from` onto column `to` with the events a drag produces,
/// and returns the deal's id.
async fn drag_first_card(browser: &Browser, from: &str, to: &str) -> StepResult<String> {
    let (from_id, to_id) = (stage_id(browser, from).await?, stage_id(browser, to).await?);
    let script = r#"
        const card = document.querySelector(`.column[data-stage-id="${arguments[0]}"] .deal-card`);
        const target = document.querySelector(`.column[data-stage-id="${arguments[1]}"]`);
        const transfer = new DataTransfer();
        const fire = (element, type) => element.dispatchEvent(
            new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
        fire(card, 'dragstart');
        fire(target, 'dragenter');
        fire(target, 'dragover');
        fire(target, 'drop');
        fire(card, 'dragend');
        return card.dataset.dealId;
    "#;
    let moved = browser
        .run(script, vec![json!(from_id), json!(to_id)])
        .await?;
    let moved = moved.as_str().map(str::to_owned);
    moved.ok_or_else(|| format!("the {from} column has no card to drag"))
}

async fn moved_card_stays_after_reload(browser: &Browser, app: &TestApp) -> StepResult<String> {
    let deal_id = drag_first_card(browser, "Engaging", "Won").await?;
    let after = counts_with(&[("Engaging", "1,588"), ("Won", "4,239")]);
    wait_for_counts(browser, &after).await?;
    browser.screenshot("03-card-moved").await?;

    let token = api_token(app).await?;
    let deal = api_get(app, &token, &format!("/api/v1/deals/{deal_id}")).await?;
    ensure(deal["stage"]["name"] == "Won", || {
        format!(
            "the server keeps the moved deal in Won, but has {}",
            deal["stage"]
        )
    })?;

    browser.refresh().await?;
    wait_for_counts(browser, &after).await?;
    let won = stage_id(browser, "Won").await?;
    let selector =
        format!(".column[data-stage-id=\"{won}\"] .deal-card[data-deal-id=\"{deal_id}\"]");
    let found = browser
        .run(
            "return document.querySelector(arguments[0]) !== null;",
            vec![json!(selector)],
        )
        .await?;
    ensure(found == json!(true), || {
        format!("after a reload the moved deal {deal_id} is the newest card of Won")
    })?;
    browser.screenshot("04-reloaded").await?;
    Ok(deal_id)
}

/// Renames the first Prospecting deal through the API, then drags its stale card to Lost:
/// the server rejects the move with 412, and the board shows a notice and the deal as the
/// server has it.
async fn stale_card_is_reloaded(browser: &Browser, app: &TestApp) -> StepResult {
    let prospecting = stage_id(browser, "Prospecting").await?;
    let first = format!(".column[data-stage-id=\"{prospecting}\"] .deal-card");
    let deal_id = browser
        .run(
            "return document.querySelector(arguments[0]).dataset.dealId;",
            vec![json!(first)],
        )
        .await?;
    let deal_id = deal_id.as_str().unwrap_or_default().to_owned();
    let token = api_token(app).await?;
    let rename = json!({ "name": "Renamed by someone else" });
    let path = format!("/api/v1/deals/{deal_id}");
    let response = app
        .request(Method::PATCH, &path, Some(&token), Some(&rename))
        .await;
    ensure(response.status() == StatusCode::OK, || {
        format!(
            "renaming the deal through the API returned {}",
            response.status()
        )
    })?;

    let dragged = drag_first_card(browser, "Prospecting", "Lost").await?;
    ensure(dragged == deal_id, || {
        format!("the dragged card is {dragged}, not {deal_id}")
    })?;
    let notice = "const notice = document.querySelector('#board-notice');
        return notice && notice.textContent.includes('Someone else changed') ? notice.textContent : null;";
    browser
        .wait_for(
            "the notice about the concurrent change",
            notice,
            vec![],
            PROBE,
        )
        .await?;
    let card =
        format!(".column[data-stage-id=\"{prospecting}\"] .deal-card[data-deal-id=\"{deal_id}\"]");
    let reloaded = "const card = document.querySelector(arguments[0]);
        return card && card.textContent.includes('Renamed by someone else');";
    browser
        .wait_for(
            "the reloaded card back in Prospecting",
            reloaded,
            vec![json!(card)],
            PROBE,
        )
        .await?;
    wait_for_counts(
        browser,
        &counts_with(&[("Engaging", "1,588"), ("Won", "4,239")]),
    )
    .await?;
    browser.screenshot("05-stale-move").await
}

/// Sets an input's value the way typing does, for inputs such as `datetime-local` whose
/// typed form depends on the browser's language.
const SET_INPUT: &str = "const input = document.querySelector(arguments[0]);
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, arguments[1]);
    input.dispatchEvent(new Event('input', { bubbles: true }));";

/// Adds a note and an overdue task on the deal page, and returns the task's title.
async fn note_and_task_on_deal(browser: &Browser, deal_id: &str) -> StepResult<String> {
    let link = format!(".deal-card[data-deal-id=\"{deal_id}\"] a");
    browser.click(&link).await?;
    browser
        .wait_for(
            "the deal page",
            "return document.querySelector('#timeline');",
            vec![],
            PROBE,
        )
        .await?;
    let note = format!("Browser suite note {}", uuid::Uuid::now_v7());
    browser.type_text("#activity-body", &note).await?;
    browser.click("#add-activity").await?;
    let script = "const timeline = document.querySelector('#timeline');
        return timeline && timeline.textContent.includes(arguments[0]);";
    browser
        .wait_for("the note in the timeline", script, vec![json!(note)], PROBE)
        .await?;

    browser
        .run(SET_INPUT, vec![json!("#name"), json!("")])
        .await?;
    browser.click("#deal-form button[type=submit]").await?;
    let rejected = "const field = document.querySelector('#name').closest('.field');
        return field.classList.contains('invalid') ? field.querySelector('.field-error').textContent : null;";
    let message = browser
        .wait_for(
            "the server's error beside the name field",
            rejected,
            vec![],
            PROBE,
        )
        .await?;
    ensure(
        message.as_str().is_some_and(|text| text.contains("name")),
        || format!("the name error names the field, but reads {message}"),
    )?;
    browser.screenshot("06-deal-field-error").await?;
    browser.type_text("#name", "Fleet renewal").await?;
    browser.type_text("#next_step", "Send the contract").await?;
    browser.click("#deal-form button[type=submit]").await?;
    let saved = "return document.querySelector('#deal-name').textContent === 'Fleet renewal'
        && document.querySelector('#timeline').textContent.includes('next_step');";
    browser
        .wait_for(
            "the saved name and the change in the timeline",
            saved,
            vec![],
            PROBE,
        )
        .await?;

    let task = format!("Call back {}", uuid::Uuid::now_v7());
    browser.type_text("#task-title", &task).await?;
    browser
        .run(
            SET_INPUT,
            vec![json!("#task-due"), json!("2020-01-02T09:00")],
        )
        .await?;
    browser.click("#add-task").await?;
    let listed = "return [...document.querySelectorAll('.task-list .task')].some(t => t.textContent.includes(arguments[0]));";
    browser
        .wait_for(
            "the new task in the deal's open tasks",
            listed,
            vec![json!(task)],
            PROBE,
        )
        .await?;
    browser
        .run(
            "document.querySelector('#timeline').scrollIntoView({ block: 'center' });",
            vec![],
        )
        .await?;
    browser.screenshot("07-deal-note-and-task").await?;
    Ok(task)
}

/// Finds the task titled `title` on My tasks, under Overdue, and checks it off.
async fn overdue_task_checked_off(browser: &Browser, app: &TestApp, title: &str) -> StepResult {
    browser.click(".nav-link[href='/tasks']").await?;
    let find = "const item = [...document.querySelectorAll('#overdue-tasks .task')]
        .find(t => t.textContent.includes(arguments[0]));
        return item ? item.dataset.taskId : null;";
    let task_id = browser
        .wait_for("the task under Overdue", find, vec![json!(title)], PROBE)
        .await?;
    let task_id = task_id.as_str().unwrap_or_default().to_owned();
    browser.screenshot("08-my-tasks").await?;
    browser
        .click(&format!(
            ".task[data-task-id=\"{task_id}\"] input[type=checkbox]"
        ))
        .await?;
    let gone = "return document.querySelector(`.task[data-task-id=\"${arguments[0]}\"]`) === null;";
    browser
        .wait_for(
            "the checked task to leave the list",
            gone,
            vec![json!(task_id)],
            PROBE,
        )
        .await?;
    let token = api_token(app).await?;
    let task = api_get(app, &token, &format!("/api/v1/tasks/{task_id}")).await?;
    ensure(task["done"] == true, || {
        format!("the server marks the task done, but has {task}")
    })
}

/// Reads the stored session from `localStorage`.
const READ_SESSION: &str = "return JSON.parse(localStorage.getItem('dealbook.session'));";

/// Changes fields of the stored session.
const CHANGE_SESSION: &str = "const session = JSON.parse(localStorage.getItem('dealbook.session'));
    Object.assign(session, arguments[0]);
    localStorage.setItem('dealbook.session', JSON.stringify(session));";

/// Clicks the navigation link to a list page and waits for its rows.
async fn open_list(browser: &Browser, path: &str) -> StepResult {
    browser.click(&format!(".nav-link[href='{path}']")).await?;
    let rows = "return document.querySelector('tbody tr');";
    browser
        .wait_for(&format!("the rows of {path}"), rows, vec![], PROBE)
        .await
        .map(|_| ())
}

/// Refreshes the tokens after a 401 and before expiry without leaving the page, and shows
/// the sign-in form only once the refresh token is rejected.
async fn tokens_refresh_silently(browser: &Browser) -> StepResult {
    let before = browser.run(READ_SESSION, vec![]).await?;
    let broken = json!({ "access_token": "not-a-valid-token" });
    browser.run(CHANGE_SESSION, vec![broken]).await?;
    open_list(browser, "/deals").await?;
    let after_401 = browser.run(READ_SESSION, vec![]).await?;
    ensure(
        after_401["refresh_token"] != before["refresh_token"],
        || "a 401 makes the app trade its refresh token for new tokens".to_owned(),
    )?;

    browser
        .run(CHANGE_SESSION, vec![json!({ "expires_at_ms": 0 })])
        .await?;
    open_list(browser, "/companies").await?;
    let after_expiry = browser.run(READ_SESSION, vec![]).await?;
    ensure(
        after_expiry["refresh_token"] != after_401["refresh_token"],
        || "an expired access token is replaced before the request".to_owned(),
    )?;

    let revoked = json!({ "access_token": "not-a-valid-token", "refresh_token": "revoked" });
    browser.run(CHANGE_SESSION, vec![revoked]).await?;
    browser.click(".nav-link[href='/contacts']").await?;
    let signed_out = "return document.querySelector('#email')
        && localStorage.getItem('dealbook.session') === null;";
    browser
        .wait_for(
            "the sign-in form after a rejected refresh token",
            signed_out,
            vec![],
            PROBE,
        )
        .await?;
    browser.type_text("#email", "demo@example.com").await?;
    browser.type_text("#password", DEMO_PASSWORD).await?;
    browser.click("#sign-in").await?;
    let back = "return location.pathname === '/contacts' && document.querySelector('tbody tr');";
    browser
        .wait_for(
            "the contact list after signing in again",
            back,
            vec![],
            PROBE,
        )
        .await
        .map(|_| ())
}

/// Signs out and checks that the server revoked the refresh token.
async fn sign_out(browser: &Browser, app: &TestApp) -> StepResult {
    let session = browser.run(READ_SESSION, vec![]).await?;
    browser.click("#sign-out").await?;
    let form = "return document.querySelector('#email');";
    browser
        .wait_for("the sign-in form after signing out", form, vec![], PROBE)
        .await?;
    let body = json!({ "refresh_token": session["refresh_token"] });
    let response = app
        .request(Method::POST, "/api/v1/auth/refresh", None, Some(&body))
        .await;
    ensure(response.status() == StatusCode::UNAUTHORIZED, || {
        format!(
            "signing out revokes the refresh token, but refreshing returned {}",
            response.status()
        )
    })
}

/// Searches the companies, opens one, and finds its deals; then opens a contact of it.
async fn company_and_contact_pages(browser: &Browser, app: &TestApp) -> StepResult {
    browser.click(".nav-link[href='/companies']").await?;
    browser
        .wait_for(
            "the company list",
            "return document.querySelector('.table tbody tr');",
            vec![],
            PROBE,
        )
        .await?;
    browser
        .type_text(".filters input[type=search]", "ganja")
        .await?;
    browser.click(".filters button[type=submit]").await?;
    let one = "const rows = [...document.querySelectorAll('.table tbody tr')];
        return rows.length === 1 && rows[0].textContent.includes('Ganjaflex');";
    browser
        .wait_for("only Ganjaflex in the search result", one, vec![], PROBE)
        .await?;
    browser.click(".table tbody tr a").await?;
    let page = "return document.querySelector('h1')?.textContent === 'Ganjaflex'
        && document.querySelectorAll('.deals-table tbody tr').length > 0;";
    browser
        .wait_for("the Ganjaflex page with its deals", page, vec![], PROBE)
        .await?;
    browser.screenshot("09-company").await?;

    let token = api_token(app).await?;
    let companies = api_get(app, &token, "/api/v1/companies?q=Ganjaflex").await?;
    let body = json!({
        "first_name": "Mei", "last_name": "Lin", "title": "Purchasing lead",
        "email": "mei.lin@example.com", "company_id": companies["data"][0]["id"],
    });
    let response = app
        .request(Method::POST, "/api/v1/contacts", Some(&token), Some(&body))
        .await;
    ensure(response.status() == StatusCode::CREATED, || {
        format!("creating a contact returned {}", response.status())
    })?;
    browser.click(".nav-link[href='/contacts']").await?;
    let listed = "const link = [...document.querySelectorAll('.table tbody tr a')]
        .find(a => a.textContent === 'Mei Lin');
        if (link) { link.click(); }
        return Boolean(link);";
    browser
        .wait_for("Mei Lin in the contact list", listed, vec![], PROBE)
        .await?;
    let contact = "return document.querySelector('h1')?.textContent === 'Mei Lin'
        && document.querySelector('.facts').textContent.includes('Ganjaflex');";
    browser
        .wait_for("the contact page with the company", contact, vec![], PROBE)
        .await?;
    browser.screenshot("10-contact").await
}

async fn chinese_labels_after_switch(
    browser: &Browser,
    app: &TestApp,
    deal_id: &str,
) -> StepResult {
    browser.click(".nav-link[href='/deals']").await?;
    let link = format!(".deals-table a[href='/deals/{deal_id}']");
    let opened = "const link = document.querySelector(arguments[0]); if (link) { link.click(); } return Boolean(link);";
    browser
        .wait_for(
            "the moved deal in the deal list",
            opened,
            vec![json!(link)],
            PROBE,
        )
        .await?;
    browser
        .wait_for(
            "the deal page",
            "return document.querySelector('#timeline');",
            vec![],
            PROBE,
        )
        .await?;
    browser.select("#language", "zh-CN").await?;
    let script = "const texts = [...document.querySelectorAll('.nav-link, .deal-page h2')].map(e => e.textContent);
        return ['看板', '商机', '我的任务', '时间线', '记录活动'].every(t => texts.includes(t)) ? texts : null;";
    browser
        .wait_for("Chinese navigation and headings", script, vec![], PROBE)
        .await?;
    browser.screenshot("11-deal-zh-CN").await?;

    browser.click(".nav-link[href='/']").await?;
    let after = counts_with(&[("Engaging", "1,588"), ("Won", "4,239")]);
    wait_for_counts(browser, &after).await?;
    let heading = browser
        .run("return document.querySelector('h1').textContent;", vec![])
        .await?;
    ensure(heading == "销售看板", || {
        format!("the board heading is Chinese, not {heading}")
    })?;
    browser.screenshot("12-board-zh-CN").await?;

    let token = api_token(app).await?;
    let me = api_get(app, &token, "/api/v1/me").await?;
    ensure(me["locale"] == "zh-CN", || {
        format!(
            "the server stores the chosen language for the user, but has {}",
            me["locale"]
        )
    })
}

async fn phone_width_board_is_usable(browser: &Browser) -> StepResult {
    browser.resize(390, 844).await?;
    let width = browser.run("return window.innerWidth;", vec![]).await?;
    ensure(width.as_u64().is_some_and(|width| width <= 390), || {
        format!("the viewport is at most 390 px wide, not {width}")
    })?;
    let layout = "const board = document.querySelector('#board');
        const first = document.querySelector('.column').getBoundingClientRect();
        return { pageOverflows: document.documentElement.scrollWidth > innerWidth,
                 boardScrolls: board.scrollWidth > board.clientWidth,
                 firstColumnFits: first.left >= 0 && first.right <= innerWidth };";
    let shape = browser.run(layout, vec![]).await?;
    let expected = json!({ "pageOverflows": false, "boardScrolls": true, "firstColumnFits": true });
    ensure(shape == expected, || {
        format!("the phone layout is {shape}, expected {expected}")
    })?;
    browser.screenshot("13-phone-board").await?;

    let scroll = "const board = document.querySelector('#board');
        const second = document.querySelectorAll('.column')[1];
        board.scrollLeft = second.offsetLeft - board.offsetLeft;
        const rect = second.getBoundingClientRect();
        return rect.left >= 0 && rect.right <= innerWidth;";
    browser
        .wait_for(
            "the second column in view after scrolling",
            scroll,
            vec![],
            PROBE,
        )
        .await?;
    browser.screenshot("14-phone-board-scrolled").await?;

    let prospecting = stage_id(browser, "Prospecting").await?;
    let engaging = stage_id(browser, "Engaging").await?;
    let menu = format!(".column[data-stage-id=\"{prospecting}\"] .deal-card .move-select");
    browser.select(&menu, &engaging).await?;
    let after = counts_with(&[
        ("Prospecting", "499"),
        ("Engaging", "1,589"),
        ("Won", "4,239"),
    ]);
    wait_for_counts(browser, &after).await?;
    browser.screenshot("15-phone-moved-with-menu").await?;

    browser.click(".nav-link[href='/deals']").await?;
    let cards = "const row = document.querySelector('.deals-table tbody tr');
        const head = document.querySelector('.deals-table thead');
        return row && getComputedStyle(head).display === 'none' && getComputedStyle(row).display === 'block';";
    browser
        .wait_for("the deal list drawn as cards", cards, vec![], PROBE)
        .await?;
    browser.screenshot("16-phone-deals").await
}

/// Runs every step in order; the first failure ends the scenario.
pub async fn run(browser: &Browser, app: &TestApp) -> StepResult {
    sign_in(browser).await?;
    board_shows_demo_counts(browser).await?;
    let deal_id = moved_card_stays_after_reload(browser, app).await?;
    stale_card_is_reloaded(browser, app).await?;
    let task = note_and_task_on_deal(browser, &deal_id).await?;
    overdue_task_checked_off(browser, app, &task).await?;
    company_and_contact_pages(browser, app).await?;
    tokens_refresh_silently(browser).await?;
    chinese_labels_after_switch(browser, app, &deal_id).await?;
    phone_width_board_is_usable(browser).await?;
    crate::dashboard::dashboard_renders(browser).await?;
    sign_out(browser, app).await
}
