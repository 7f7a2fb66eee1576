//! Won amount and win rate by product line, region and customer type, side by side.

use yew::prelude::*;

use super::{ReportProps, Section, currency_note, no_data, segment_label};
use crate::api::reports::{ReportQuery, breakdown};
use crate::components::charts::bar::{Bar, BarChart, BarRow};
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::Key;
use crate::view_model::charts::to_f64;
use crate::view_model::dashboard::{DashboardFilters, format_optional_ratio};

/// The breakdown dimensions, each with its heading.
const DIMENSIONS: [(&str, Key); 3] = [
    ("product_line", Key::ByProductLine),
    ("region", Key::ByRegion),
    ("customer_type", Key::ByCustomerType),
];

#[derive(Properties, PartialEq)]
struct BreakdownProps {
    filters: DashboardFilters,
    dimension: &'static str,
    title: Key,
}

#[function_component]
fn Breakdown(props: &BreakdownProps) -> Html {
    let i18n = use_i18n();
    let dimension = props.dimension;
    let report = use_remote(props.filters.clone(), move |filters| async move {
        breakdown(&ReportQuery::new(&filters, Some(dimension))).await
    });
    let body = remote_view(&report.state, &report.reload, |report| {
        if report.rows.is_empty() {
            return no_data(&i18n);
        }
        let mut rows = report.rows.clone();
        rows.sort_by_key(|row| std::cmp::Reverse(row.won_amount.amount));
        let rows = rows
            .iter()
            .map(|row| {
                let amount = i18n.money_compact(&row.won_amount);
                let rate = format_optional_ratio(row.win_rate);
                BarRow {
                    label: segment_label(&i18n, row),
                    bars: vec![Bar {
                        value: to_f64(row.won_amount.amount),
                        text: i18n.fill(Key::WonWithRate, &[("amount", &amount), ("rate", &rate)]),
                    }],
                    target: None,
                    highlight: false,
                }
            })
            .collect::<Vec<_>>();
        html! {
            <>
                <p class="muted small">{ currency_note(&i18n, &report.currency) }</p>
                <BarChart title={i18n.t(props.title)} series={vec![i18n.t(Key::WonAmount).to_owned()]}
                    {rows} hint={i18n.t(Key::TapForValue)} />
            </>
        }
    });
    html! {
        <div class="breakdown" data-dimension={dimension}>
            <h3>{ i18n.t(props.title) }</h3>
            { body }
        </div>
    }
}

#[function_component]
pub fn SegmentsSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    html! {
        <Section id="dashboard-segments" title={i18n.t(Key::Comparisons)} wide=true>
            <div class="side-by-side">
                { for DIMENSIONS.iter().map(|(dimension, title)| html! {
                    <Breakdown filters={props.filters.clone()} dimension={*dimension} title={*title} />
                }) }
            </div>
        </Section>
    }
}
