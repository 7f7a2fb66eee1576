//! The funnel of the chosen pipeline and its stage conversion table.

use api_types::reports::{FunnelReport, FunnelStage};
use yew::prelude::*;

use super::{ReportProps, Section, no_data};
use crate::api::reports::{ReportQuery, funnel};
use crate::components::charts::funnel::{FunnelChart, FunnelStep};
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::{I18n, Key};
use crate::view_model::dashboard::format_optional_ratio;

/// Draws the open and won stages as a funnel; lost stages appear only in the table.
fn funnel_steps(i18n: &I18n, report: &FunnelReport) -> Vec<FunnelStep> {
    let stages = report.stages.iter().filter(|stage| stage.kind != "lost");
    stages
        .map(|stage| {
            let detail = match stage.kind.as_str() {
                "won" => format!(
                    "{} {}",
                    i18n.t(Key::ConversionFromFirst),
                    format_optional_ratio(stage.conversion_from_first)
                ),
                _ => i18n.fill(
                    Key::FunnelDetail,
                    &[("rate", &format_optional_ratio(stage.conversion_to_next))],
                ),
            };
            FunnelStep {
                label: stage.name.clone(),
                value: stage.entered as f64,
                text: i18n.count(stage.entered),
                detail,
            }
        })
        .collect()
}

fn stage_row(i18n: &I18n, stage: &FunnelStage) -> Html {
    html! {
        <tr key={stage.stage_id.to_string()}>
            <td data-label={i18n.t(Key::Stage)} class="primary-cell">{ &stage.name }</td>
            <td data-label={i18n.t(Key::Entered)} class="number">{ i18n.count(stage.entered) }</td>
            <td data-label={i18n.t(Key::MovedOn)} class="number">{ i18n.count(stage.moved_on) }</td>
            <td data-label={i18n.t(Key::Dropped)} class="number">{ i18n.count(stage.dropped) }</td>
            <td data-label={i18n.t(Key::ConversionToNext)} class="number">{ format_optional_ratio(stage.conversion_to_next) }</td>
            <td data-label={i18n.t(Key::ConversionFromFirst)} class="number">{ format_optional_ratio(stage.conversion_from_first) }</td>
        </tr>
    }
}

#[function_component]
pub fn FunnelSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let report = use_remote(props.filters.clone(), |filters| async move {
        funnel(&ReportQuery::new(&filters, None)).await
    });
    let body = remote_view(&report.state, &report.reload, |report| {
        if report.stages.is_empty() {
            return no_data(&i18n);
        }
        let overall = format_optional_ratio(report.overall_conversion);
        html! {
            <div class="funnel-layout">
                <FunnelChart title={i18n.t(Key::FunnelTitle)} steps={funnel_steps(&i18n, report)}
                    hint={i18n.t(Key::TapForValue)} />
                <div>
                    <h3>{ i18n.t(Key::StageConversion) }</h3>
                    <table class="table responsive stage-table">
                        <thead><tr>
                            <th scope="col">{ i18n.t(Key::Stage) }</th>
                            <th scope="col" class="number">{ i18n.t(Key::Entered) }</th>
                            <th scope="col" class="number">{ i18n.t(Key::MovedOn) }</th>
                            <th scope="col" class="number">{ i18n.t(Key::Dropped) }</th>
                            <th scope="col" class="number">{ i18n.t(Key::ConversionToNext) }</th>
                            <th scope="col" class="number">{ i18n.t(Key::ConversionFromFirst) }</th>
                        </tr></thead>
                        <tbody>{ for report.stages.iter().map(|stage| stage_row(&i18n, stage)) }</tbody>
                    </table>
                    <p class="overall">{ i18n.fill(Key::OverallConversion, &[("rate", &overall)]) }</p>
                </div>
            </div>
        }
    });
    html! {
        <Section id="dashboard-funnel" title={i18n.t(Key::FunnelTitle)} wide=true>{ body }</Section>
    }
}
