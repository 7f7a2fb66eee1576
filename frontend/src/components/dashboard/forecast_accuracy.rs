//! Each past month's forecast, taken from the snapshot before the month, against what was
//! won in it.

use api_types::Money;
use api_types::reports::ForecastAccuracyRow;
use yew::prelude::*;

use super::{ReportProps, Section, currency_note, no_data};
use crate::api::reports::{ReportQuery, forecast_accuracy};
use crate::components::charts::bar::{Bar, BarChart, BarRow};
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::{I18n, Key};
use crate::view_model::charts::to_f64;
use crate::view_model::dashboard::format_optional_ratio;
use crate::view_model::forecast_accuracy::{by_month, months_without_snapshot};

/// Builds a forecast bar, or an empty bar labelled "no snapshot" when the month has none.
fn forecast_bar(i18n: &I18n, amount: Option<&Money>) -> Bar {
    match amount {
        Some(amount) => Bar {
            value: to_f64(amount.amount),
            text: i18n.money_compact(amount),
        },
        None => Bar {
            value: 0.0,
            text: i18n.t(Key::NoSnapshot).to_owned(),
        },
    }
}

fn month_bars(i18n: &I18n, row: &ForecastAccuracyRow) -> BarRow {
    let won = i18n.money_compact(&row.won_amount);
    let won_text = match row.accuracy {
        Some(_) => i18n.fill(
            Key::WonWithAccuracy,
            &[
                ("amount", &won),
                ("rate", &format_optional_ratio(row.accuracy)),
            ],
        ),
        None => won,
    };
    BarRow {
        label: row.month.clone(),
        bars: vec![
            forecast_bar(i18n, row.weighted_forecast.as_ref()),
            forecast_bar(i18n, row.forecast_amount.as_ref()),
            Bar {
                value: to_f64(row.won_amount.amount),
                text: won_text,
            },
        ],
        target: None,
        highlight: false,
    }
}

#[function_component]
pub fn ForecastAccuracySection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let report = use_remote(props.filters.clone(), |filters| async move {
        forecast_accuracy(&ReportQuery::new(&filters, None)).await
    });
    let body = remote_view(&report.state, &report.reload, |report| {
        if report.rows.is_empty() {
            return no_data(&i18n);
        }
        let rows = by_month(&report.rows);
        let missing = months_without_snapshot(&rows);
        let missing_note = (missing > 0).then(|| {
            let count = i18n.count(missing as u64);
            html! {
                <p class="muted small no-snapshot-note">
                    { i18n.fill(Key::MonthsWithoutSnapshot, &[("count", &count)]) }
                </p>
            }
        });
        let series = vec![
            i18n.t(Key::WeightedForecast).to_owned(),
            i18n.t(Key::UnweightedForecast).to_owned(),
            i18n.t(Key::WonAmount).to_owned(),
        ];
        let rows = rows
            .iter()
            .map(|row| month_bars(&i18n, row))
            .collect::<Vec<_>>();
        html! {
            <>
                <p class="muted small">{ currency_note(&i18n, &report.currency) }</p>
                { for missing_note }
                <BarChart title={i18n.t(Key::ForecastAccuracyTitle)} {series} {rows}
                    hint={i18n.t(Key::TapForValue)} />
            </>
        }
    });
    html! {
        <Section id="dashboard-forecast-accuracy" title={i18n.t(Key::ForecastAccuracyTitle)}>{ body }</Section>
    }
}
