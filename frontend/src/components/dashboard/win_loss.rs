//! Wins and losses of closed deals by reason and by competitor, counted and valued.

use api_types::reports::SegmentRow;
use yew::prelude::*;

use super::{ReportProps, Section, currency_note, no_data, segment_label};
use crate::api::reports::{ReportQuery, win_loss};
use crate::components::charts::bar::{Bar, BarChart, BarRow};
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::{I18n, Key};
use crate::view_model::dashboard::DashboardFilters;
use crate::view_model::win_loss::{WinLossMeasure, closed_rows};

/// The win-loss dimensions, each with its heading.
const DIMENSIONS: [(&str, Key); 2] = [("reason", Key::ByReason), ("competitor", Key::ByCompetitor)];

/// Builds the won and lost bars of one reason or competitor.
fn win_loss_bars(i18n: &I18n, row: &SegmentRow, measure: WinLossMeasure) -> BarRow {
    let (won, lost) = measure.values(row);
    let text = |count: u64, amount| {
        i18n.fill(
            Key::WinLossBar,
            &[
                ("count", &i18n.count(count)),
                ("amount", &i18n.money_compact(amount)),
            ],
        )
    };
    BarRow {
        label: segment_label(i18n, row),
        bars: vec![
            Bar {
                value: won,
                text: text(row.won_count, &row.won_amount),
            },
            Bar {
                value: lost,
                text: text(row.lost_count, &row.lost_amount),
            },
        ],
        target: None,
        highlight: false,
    }
}

#[derive(Properties, PartialEq)]
struct WinLossChartProps {
    filters: DashboardFilters,
    dimension: &'static str,
    title: Key,
    measure: WinLossMeasure,
}

#[function_component]
fn WinLossChart(props: &WinLossChartProps) -> Html {
    let i18n = use_i18n();
    let dimension = props.dimension;
    let report = use_remote(props.filters.clone(), move |filters| async move {
        win_loss(&ReportQuery::new(&filters, Some(dimension))).await
    });
    let body = remote_view(&report.state, &report.reload, |report| {
        let rows = closed_rows(&report.rows);
        if rows.is_empty() {
            return no_data(&i18n);
        }
        let rows = rows
            .iter()
            .map(|row| win_loss_bars(&i18n, row, props.measure))
            .collect::<Vec<_>>();
        let series = vec![
            i18n.t(Key::StatusWon).to_owned(),
            i18n.t(Key::StatusLost).to_owned(),
        ];
        html! {
            <>
                <p class="muted small">{ currency_note(&i18n, &report.currency) }</p>
                <BarChart title={i18n.t(props.title)} {series} {rows} hint={i18n.t(Key::TapForValue)} />
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
pub fn WinLossSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let measure = use_state(WinLossMeasure::default);
    let choice = |value: WinLossMeasure, label: Key| {
        let onclick = {
            let measure = measure.clone();
            Callback::from(move |_: MouseEvent| measure.set(value))
        };
        let pressed = if *measure == value { "true" } else { "false" };
        html! {
            <button type="button" class="segment" aria-pressed={pressed} {onclick}>{ i18n.t(label) }</button>
        }
    };
    html! {
        <Section id="dashboard-win-loss" title={i18n.t(Key::WinLossTitle)} wide=true>
            <div class="segmented" role="group" aria-label={i18n.t(Key::BarLength)}>
                <span class="muted small">{ i18n.t(Key::BarLength) }</span>
                { choice(WinLossMeasure::Amount, Key::ByAmount) }
                { choice(WinLossMeasure::Count, Key::ByCount) }
            </div>
            <div class="side-by-side two">
                { for DIMENSIONS.iter().map(|(dimension, title)| html! {
                    <WinLossChart filters={props.filters.clone()} dimension={*dimension}
                        title={*title} measure={*measure} />
                }) }
            </div>
        </Section>
    }
}
