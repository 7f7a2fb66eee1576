//! The trend of days to close, by month of close.

use yew::prelude::*;

use super::{ReportProps, Section, no_data};
use crate::api::reports::{ReportQuery, sales_cycle};
use crate::components::charts::line::{LineChart, LinePoint};
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::Key;
use crate::view_model::charts::to_f64;
use crate::view_model::dashboard::format_days;

#[function_component]
pub fn CycleSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let report = use_remote(props.filters.clone(), |filters| async move {
        sales_cycle(&ReportQuery::new(&filters, Some("close_month"))).await
    });
    let axis_text = {
        let i18n = i18n.clone();
        Callback::from(move |max: f64| i18n.fill(Key::DaysShort, &[("days", &format!("{max:.0}"))]))
    };
    let body = remote_view(&report.state, &report.reload, |report| {
        let mut rows: Vec<_> = report
            .rows
            .iter()
            .filter(|row| row.key.is_some() && row.average_cycle_days.is_some())
            .collect();
        rows.sort_by(|a, b| a.key.cmp(&b.key));
        if rows.is_empty() {
            return no_data(&i18n);
        }
        let points = rows
            .into_iter()
            .map(|row| {
                let values = [
                    ("average", format_days(row.average_cycle_days)),
                    ("median", format_days(row.median_cycle_days)),
                ];
                let values: Vec<(&str, &str)> = values
                    .iter()
                    .map(|(name, text)| (*name, text.as_str()))
                    .collect();
                let average = format_days(row.average_cycle_days);
                LinePoint {
                    label: row.key.clone().unwrap_or_default(),
                    value: row.average_cycle_days.map_or(0.0, to_f64),
                    text: i18n.fill(Key::CycleValue, &values),
                    brief: i18n.fill(Key::DaysShort, &[("days", &average)]),
                }
            })
            .collect::<Vec<_>>();
        html! {
            <LineChart title={i18n.t(Key::CycleTrend)} {points} axis_text={axis_text.clone()}
                hint={i18n.t(Key::TapForValue)} />
        }
    });
    html! { <Section id="dashboard-cycle" title={i18n.t(Key::CycleTrend)}>{ body }</Section> }
}
