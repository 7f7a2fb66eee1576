//! Open deals whose expected close date has passed, each linking to its deal.

use api_types::deals::DealStatus;
use yew::prelude::*;

use super::{ReportProps, Section, no_data};
use crate::api::deals::{DealQuery, list_deals};
use crate::components::deals_table::DealsTable;
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::Key;
use crate::shared::Shared;

/// Most deals listed; the list is sorted oldest first, so these are the most overdue.
const LIST_SIZE: u32 = 20;

/// Returns yesterday's date in the browser's time zone as `YYYY-MM-DD`.
fn yesterday() -> String {
    let now = js_sys::Date::new_0();
    let yesterday = js_sys::Date::new_with_year_month_day(
        now.get_full_year(),
        now.get_month() as i32,
        now.get_date() as i32 - 1,
    );
    format!(
        "{:04}-{:02}-{:02}",
        yesterday.get_full_year(),
        yesterday.get_month() + 1,
        yesterday.get_date()
    )
}

#[function_component]
pub fn PastCloseSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    // NOTE: the deal list has no period, region or product line filter, so only the
    // pipeline, owner and team of the filter bar narrow this list, as its note says.
    let query = DealQuery {
        limit: Some(LIST_SIZE),
        sort: Some("expected_close_date".to_owned()),
        status: Some(DealStatus::Open),
        pipeline_id: props.filters.pipeline_id,
        owner_id: props.filters.owner_id,
        team_id: props.filters.team_id,
        ..DealQuery::default()
    };
    let deals = use_remote(query, |query| async move {
        let query = DealQuery {
            expected_close_to: Some(yesterday()),
            ..query
        };
        list_deals(&query).await
    });
    let body = remote_view(&deals.state, &deals.reload, |page| {
        match page.data.is_empty() {
            true => no_data(&i18n),
            false => html! { <DealsTable rows={Shared::new(page.data.clone())} /> },
        }
    });
    let note = i18n.fill(
        Key::PastExpectedCloseNote,
        &[("count", &LIST_SIZE.to_string())],
    );
    html! {
        <Section id="dashboard-past-close" title={i18n.t(Key::PastExpectedClose)} note={Some(note)} wide=true>
            { body }
        </Section>
    }
}
