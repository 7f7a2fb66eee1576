//! The bottleneck section of the chosen pipeline: time in stage and conversion against a
//! trailing baseline, and the open deals that stalled.

use api_types::reports::{BottleneckReport, StageTiming, StalledDeal};
use rust_decimal::Decimal;
use time::Date;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{ReportProps, Section, currency_note};
use crate::api::reports::{BottleneckQuery, bottlenecks};
use crate::components::charts::bar::{Bar, BarChart, BarRow};
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::{I18n, Key};
use crate::route::Route;
use crate::shared::Shared;
use crate::view_model::bottlenecks::{
    StageFlags, StallReason, format_conversion_change, format_time_change, stage_flags,
};
use crate::view_model::charts::to_f64;
use crate::view_model::dashboard::{format_days, format_optional_ratio};

fn optional_date(i18n: &I18n, date: Option<Date>) -> String {
    date.map_or_else(|| "—".to_owned(), |date| i18n.date(date))
}

fn days_bar(i18n: &I18n, days: Option<Decimal>) -> Bar {
    Bar {
        value: days.map_or(0.0, to_f64),
        text: i18n.fill(Key::DaysShort, &[("days", &format_days(days))]),
    }
}

/// Builds the bars of a stage's median, 75th and 90th percentile days, with the baseline
/// median as the target marker. The slowest stage's label is highlighted.
fn timing_bars(i18n: &I18n, report: &BottleneckReport, stage: &StageTiming) -> BarRow {
    let baseline = stage
        .baseline_median_days
        .map(|days| days_bar(i18n, Some(days)));
    BarRow {
        label: stage.name.clone(),
        bars: vec![
            days_bar(i18n, stage.median_days),
            days_bar(i18n, stage.p75_days),
            days_bar(i18n, stage.p90_days),
        ],
        target: baseline,
        highlight: stage_flags(report, stage).slowest,
    }
}

fn flag_badges(i18n: &I18n, flags: StageFlags) -> Html {
    let slowest = flags.slowest.then(
        || html! { <span class="badge warning slowest">{ i18n.t(Key::SlowestStage) }</span> },
    );
    let weakest = flags.weakest.then(
        || html! { <span class="badge warning weakest">{ i18n.t(Key::WeakestStage) }</span> },
    );
    html! { <>{ for slowest }{ for weakest }</> }
}

fn stage_row(i18n: &I18n, report: &BottleneckReport, stage: &StageTiming) -> Html {
    let flags = stage_flags(report, stage);
    let class = classes!((flags.slowest || flags.weakest).then_some("flagged"));
    html! {
        <tr key={stage.stage_id.to_string()} {class}>
            <td data-label={i18n.t(Key::Stage)} class="primary-cell">
                { &stage.name }{ " " }{ flag_badges(i18n, flags) }
            </td>
            <td data-label={i18n.t(Key::Exits)} class="number">{ i18n.count(stage.exits) }</td>
            <td data-label={i18n.t(Key::MedianDays)} class="number">{ format_days(stage.median_days) }</td>
            <td data-label={i18n.t(Key::P75Days)} class="number">{ format_days(stage.p75_days) }</td>
            <td data-label={i18n.t(Key::P90Days)} class="number">{ format_days(stage.p90_days) }</td>
            <td data-label={i18n.t(Key::BaselineMedian)} class="number">{ format_days(stage.baseline_median_days) }</td>
            <td data-label={i18n.t(Key::TimeChange)} class="number">{ format_time_change(stage.time_ratio) }</td>
            <td data-label={i18n.t(Key::Conversion)} class="number">{ format_optional_ratio(stage.conversion) }</td>
            <td data-label={i18n.t(Key::BaselineConversion)} class="number">{ format_optional_ratio(stage.baseline_conversion) }</td>
            <td data-label={i18n.t(Key::ConversionChange)} class="number">{ format_conversion_change(stage.conversion_change) }</td>
        </tr>
    }
}

fn stage_table(i18n: &I18n, report: &BottleneckReport) -> Html {
    html! {
        <table class="table responsive stage-timing">
            <thead><tr>
                <th scope="col">{ i18n.t(Key::Stage) }</th>
                <th scope="col" class="number">{ i18n.t(Key::Exits) }</th>
                <th scope="col" class="number">{ i18n.t(Key::MedianDays) }</th>
                <th scope="col" class="number">{ i18n.t(Key::P75Days) }</th>
                <th scope="col" class="number">{ i18n.t(Key::P90Days) }</th>
                <th scope="col" class="number">{ i18n.t(Key::BaselineMedian) }</th>
                <th scope="col" class="number">{ i18n.t(Key::TimeChange) }</th>
                <th scope="col" class="number">{ i18n.t(Key::Conversion) }</th>
                <th scope="col" class="number">{ i18n.t(Key::BaselineConversion) }</th>
                <th scope="col" class="number">{ i18n.t(Key::ConversionChange) }</th>
            </tr></thead>
            <tbody>{ for report.stages.iter().map(|stage| stage_row(i18n, report, stage)) }</tbody>
        </table>
    }
}

fn reason_text(i18n: &I18n, report: &BottleneckReport, deal: &StalledDeal, code: &str) -> String {
    match StallReason::parse(code) {
        StallReason::OverStageP90 => {
            let days = format_days(deal.stage_p90_days);
            i18n.fill(Key::ReasonOverStageP90, &[("days", &days)])
        }
        StallReason::PastExpectedClose => i18n.t(Key::ReasonPastExpectedClose).to_owned(),
        StallReason::NoRecentActivity => {
            let days = report.stale_after_days.to_string();
            i18n.fill(Key::ReasonNoRecentActivity, &[("days", &days)])
        }
        StallReason::Other(code) => code,
    }
}

fn stalled_row(i18n: &I18n, report: &BottleneckReport, deal: &StalledDeal) -> Html {
    let amount = deal
        .amount
        .as_ref()
        .map_or("—".to_owned(), |m| i18n.money(m));
    let last_activity = deal
        .last_activity_at
        .map_or_else(|| i18n.t(Key::NoActivity).to_owned(), |at| i18n.instant(at));
    let owner = deal
        .owner_name
        .clone()
        .unwrap_or_else(|| i18n.t(Key::Nobody).to_owned());
    let reasons = deal.reasons.iter().map(|code| {
        html! { <li class="reason" data-reason={code.clone()}>{ reason_text(i18n, report, deal, code) }</li> }
    });
    html! {
        <tr key={deal.deal_id.to_string()}>
            <td data-label={i18n.t(Key::DealName)} class="primary-cell">
                <Link<Route> to={Route::Deal { id: deal.deal_id }}>{ &deal.name }</Link<Route>>
            </td>
            <td data-label={i18n.t(Key::Owner)}>{ owner }</td>
            <td data-label={i18n.t(Key::Stage)}>{ &deal.stage_name }</td>
            <td data-label={i18n.t(Key::Amount)} class="number">{ amount }</td>
            <td data-label={i18n.t(Key::DaysInStage)} class="number">{ format_days(Some(deal.days_in_stage)) }</td>
            <td data-label={i18n.t(Key::ExpectedClose)}>{ optional_date(i18n, deal.expected_close_date) }</td>
            <td data-label={i18n.t(Key::LastActivity)}>{ last_activity }</td>
            <td data-label={i18n.t(Key::Reasons)}><ul class="reasons">{ for reasons }</ul></td>
        </tr>
    }
}

/// Stalled deals listed before "Show all", so the list stays short on a phone, where each
/// deal is a card.
const STALLED_PREVIEW: usize = 10;

#[derive(Properties, PartialEq)]
struct StalledListProps {
    report: Shared<BottleneckReport>,
}

#[function_component]
fn StalledList(props: &StalledListProps) -> Html {
    let i18n = use_i18n();
    let show_all = use_state(|| false);
    let report = &*props.report;
    if report.stalled.is_empty() {
        return html! { <p class="muted">{ i18n.t(Key::NoStalledDeals) }</p> };
    }
    let count = i18n.count(report.stalled_count);
    let listed_count = i18n.count(report.stalled.len() as u64);
    let visible = match *show_all {
        true => report.stalled.len(),
        false => report.stalled.len().min(STALLED_PREVIEW),
    };
    let more = (visible < report.stalled.len()).then(|| {
        let onclick = {
            let show_all = show_all.clone();
            Callback::from(move |_: MouseEvent| show_all.set(true))
        };
        html! {
            <button type="button" class="button show-all-stalled" {onclick}>
                { i18n.fill(Key::ShowAllStalled, &[("count", &listed_count)]) }
            </button>
        }
    });
    let rows = report.stalled[..visible]
        .iter()
        .map(|deal| stalled_row(&i18n, report, deal));
    html! {
        <>
            <p class="muted small stalled-count">
                { i18n.fill(Key::StalledCount, &[("count", &count), ("shown", &listed_count)]) }
            </p>
            <table class="table responsive stalled-deals">
                <thead><tr>
                    <th scope="col">{ i18n.t(Key::DealName) }</th>
                    <th scope="col">{ i18n.t(Key::Owner) }</th>
                    <th scope="col">{ i18n.t(Key::Stage) }</th>
                    <th scope="col" class="number">{ i18n.t(Key::Amount) }</th>
                    <th scope="col" class="number">{ i18n.t(Key::DaysInStage) }</th>
                    <th scope="col">{ i18n.t(Key::ExpectedClose) }</th>
                    <th scope="col">{ i18n.t(Key::LastActivity) }</th>
                    <th scope="col">{ i18n.t(Key::Reasons) }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            { for more }
        </>
    }
}

fn period_note(i18n: &I18n, report: &BottleneckReport) -> String {
    let values = [
        ("from", optional_date(i18n, report.period.from)),
        ("to", optional_date(i18n, report.period.to)),
        ("baseline_from", optional_date(i18n, report.baseline.from)),
        ("baseline_to", optional_date(i18n, report.baseline.to)),
    ];
    let values: Vec<(&str, &str)> = values
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    i18n.fill(Key::BottleneckPeriod, &values)
}

#[function_component]
pub fn BottlenecksSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let query = BottleneckQuery::new(&props.filters);
    let report = use_remote(query, |query| async move { bottlenecks(&query).await });
    let body = remote_view(&report.state, &report.reload, |report| {
        let rows = report
            .stages
            .iter()
            .map(|stage| timing_bars(&i18n, report, stage))
            .collect::<Vec<_>>();
        let series = vec![
            i18n.t(Key::MedianDays).to_owned(),
            i18n.t(Key::P75Days).to_owned(),
            i18n.t(Key::P90Days).to_owned(),
        ];
        html! {
            <>
                <p class="muted small">{ period_note(&i18n, report) }{ " " }{ currency_note(&i18n, &report.currency) }</p>
                <div class="bottleneck-stages">
                    <div>
                        <h3>{ i18n.t(Key::TimeInStage) }</h3>
                        <BarChart title={i18n.t(Key::TimeInStage)} {series} {rows}
                            target_name={i18n.t(Key::BaselineMedian).to_owned()} hint={i18n.t(Key::TapForValue)} />
                    </div>
                    <div class="table-scroll">
                        <h3>{ i18n.t(Key::StageConversion) }</h3>
                        { stage_table(&i18n, report) }
                    </div>
                </div>
                <h3 id="dashboard-stalled">{ i18n.t(Key::StalledTitle) }</h3>
                <StalledList report={report.clone()} />
            </>
        }
    });
    html! {
        <Section id="dashboard-bottlenecks" title={i18n.t(Key::BottlenecksTitle)} wide=true>{ body }</Section>
    }
}
