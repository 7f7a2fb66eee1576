//! Open pipeline by expected close month, raw and weighted by stage probability.

use std::cmp::Ordering;

use api_types::reports::ForecastRow;
use yew::prelude::*;

use super::{ReportProps, Section, currency_note, no_data};
use crate::api::reports::{ReportQuery, forecast};
use crate::components::charts::bar::{Bar, BarChart, BarRow};
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::{I18n, Key};
use crate::view_model::charts::to_f64;

/// Orders months ascending, with the row of deals without a month last.
fn by_month(a: &ForecastRow, b: &ForecastRow) -> Ordering {
    match (&a.month, &b.month) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn month_bars(i18n: &I18n, row: &ForecastRow) -> BarRow {
    BarRow {
        label: row
            .month
            .clone()
            .unwrap_or_else(|| i18n.t(Key::NoCloseDate).to_owned()),
        bars: vec![
            Bar {
                value: to_f64(row.open_amount.amount),
                text: i18n.money_compact(&row.open_amount),
            },
            Bar {
                value: to_f64(row.weighted_amount.amount),
                text: i18n.money_compact(&row.weighted_amount),
            },
        ],
        target: None,
        highlight: false,
    }
}

#[function_component]
pub fn ForecastSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let report = use_remote(props.filters.clone(), |filters| async move {
        forecast(&ReportQuery::new(&filters, None)).await
    });
    let body = remote_view(&report.state, &report.reload, |report| {
        let mut rows: Vec<_> = report
            .rows
            .iter()
            .filter(|row| row.open_count > 0)
            .collect();
        if rows.is_empty() {
            return no_data(&i18n);
        }
        rows.sort_by(|a, b| by_month(a, b));
        let series = vec![
            i18n.t(Key::OpenPipeline).to_owned(),
            i18n.t(Key::WeightedPipeline).to_owned(),
        ];
        let rows = rows
            .into_iter()
            .map(|row| month_bars(&i18n, row))
            .collect::<Vec<_>>();
        html! {
            <>
                <p class="muted small">{ currency_note(&i18n, &report.currency) }</p>
                <BarChart title={i18n.t(Key::ForecastTitle)} {series} {rows} hint={i18n.t(Key::TapForValue)} />
            </>
        }
    });
    html! { <Section id="dashboard-forecast" title={i18n.t(Key::ForecastTitle)}>{ body }</Section> }
}
