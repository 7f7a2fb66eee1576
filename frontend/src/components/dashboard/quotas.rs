//! Quota attainment: what each user or team has won against its target.

use api_types::reports::QuotaAttainmentRow;
use yew::prelude::*;

use super::{ReportProps, Section, currency_note, no_data};
use crate::api::reports::{ReportQuery, quota_attainment};
use crate::components::charts::bar::{Bar, BarChart, BarRow};
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::{I18n, Key};
use crate::view_model::charts::to_f64;
use crate::view_model::dashboard::format_optional_ratio;

fn quota_bars(i18n: &I18n, row: &QuotaAttainmentRow) -> BarRow {
    let name = row
        .label
        .clone()
        .unwrap_or_else(|| i18n.t(Key::NotSet).to_owned());
    let (start, end) = (i18n.date(row.period_start), i18n.date(row.period_end));
    let won = format!(
        "{} · {}",
        i18n.money_compact(&row.won_amount),
        format_optional_ratio(row.attainment)
    );
    BarRow {
        label: i18n.fill(
            Key::QuotaLabel,
            &[("name", &name), ("start", &start), ("end", &end)],
        ),
        bars: vec![Bar {
            value: to_f64(row.won_amount.amount),
            text: won,
        }],
        target: Some(Bar {
            value: to_f64(row.target.amount),
            text: i18n.money_compact(&row.target),
        }),
        highlight: false,
    }
}

#[function_component]
pub fn QuotasSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let report = use_remote(props.filters.clone(), |filters| async move {
        quota_attainment(&ReportQuery::new(&filters, None)).await
    });
    let body = remote_view(&report.state, &report.reload, |report| {
        if report.rows.is_empty() {
            return no_data(&i18n);
        }
        let rows = report
            .rows
            .iter()
            .map(|row| quota_bars(&i18n, row))
            .collect::<Vec<_>>();
        html! {
            <>
                <p class="muted small">{ currency_note(&i18n, &report.currency) }</p>
                <BarChart title={i18n.t(Key::QuotaTitle)} series={vec![i18n.t(Key::WonSoFar).to_owned()]}
                    {rows} target_name={i18n.t(Key::Target).to_owned()} hint={i18n.t(Key::TapForValue)} />
            </>
        }
    });
    html! { <Section id="dashboard-quotas" title={i18n.t(Key::QuotaTitle)}>{ body }</Section> }
}
