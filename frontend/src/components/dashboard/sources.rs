//! Won amount by lead source.

use yew::prelude::*;

use super::{ReportProps, Section, currency_note, no_data, segment_label};
use crate::api::reports::{ReportQuery, sources};
use crate::components::charts::bar::{Bar, BarChart, BarRow};
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::Key;
use crate::view_model::charts::to_f64;
use crate::view_model::dashboard::format_optional_ratio;

#[function_component]
pub fn SourcesSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let report = use_remote(props.filters.clone(), |filters| async move {
        sources(&ReportQuery::new(&filters, Some("source"))).await
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
                <BarChart title={i18n.t(Key::SourceMix)} series={vec![i18n.t(Key::WonAmount).to_owned()]}
                    {rows} hint={i18n.t(Key::TapForValue)} />
            </>
        }
    });
    html! { <Section id="dashboard-sources" title={i18n.t(Key::SourceMix)}>{ body }</Section> }
}
