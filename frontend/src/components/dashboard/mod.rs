//! The sections of the sales dashboard. Each one loads its own report with the dashboard's
//! filters, so each shows its own loading, loaded or failed state.

pub mod bottlenecks;
pub mod channels;
pub mod cycle;
pub mod forecast;
pub mod forecast_accuracy;
pub mod funnel;
pub mod leaderboard;
pub mod past_close;
pub mod quotas;
pub mod segments;
pub mod sources;
pub mod win_loss;

use api_types::reports::SegmentRow;
use yew::prelude::*;

use crate::i18n::{I18n, Key};
use crate::view_model::dashboard::DashboardFilters;

/// The properties of every section: the filters from the filter bar.
#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub filters: DashboardFilters,
}

#[derive(Properties, PartialEq)]
pub struct SectionProps {
    pub id: AttrValue,
    pub title: AttrValue,
    /// A line under the title, such as the currency of the amounts.
    #[prop_or_default]
    pub note: Option<String>,
    #[prop_or_default]
    pub wide: bool,
    pub children: Html,
}

/// A titled card of the dashboard.
#[function_component]
pub fn Section(props: &SectionProps) -> Html {
    let class = classes!("card", "dashboard-card", props.wide.then_some("wide"));
    let note = props
        .note
        .as_ref()
        .map(|note| html! { <p class="muted small">{ note }</p> });
    html! {
        <section id={props.id.clone()} {class}>
            <h2>{ props.title.clone() }</h2>
            { for note }
            { props.children.clone() }
        </section>
    }
}

/// Returns the display name of a segment: its label, else its key, else "Not set".
pub fn segment_label(i18n: &I18n, row: &SegmentRow) -> String {
    row.label
        .clone()
        .or_else(|| row.key.clone())
        .unwrap_or_else(|| i18n.t(Key::NotSet).to_owned())
}

/// Returns the note that names the currency of a report's amounts.
pub fn currency_note(i18n: &I18n, currency: &str) -> String {
    i18n.fill(Key::AmountsIn, &[("currency", currency)])
}

/// Renders the text shown when a report has no rows.
pub fn no_data(i18n: &I18n) -> Html {
    html! { <p class="muted">{ i18n.t(Key::NoReportData) }</p> }
}
