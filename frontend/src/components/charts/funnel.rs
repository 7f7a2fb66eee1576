//! A funnel: one band per stage, its width proportional to the deals that entered it.

use yew::prelude::*;

use super::{LABEL_FONT, SelectedValue, coordinate, toggle};
use crate::hooks::use_element_width;
use crate::view_model::charts::funnel_bands;

/// Width assumed until the chart's box has been measured.
const FALLBACK_WIDTH: f64 = 360.0;
const BAND_HEIGHT: f64 = 42.0;
const GAP: f64 = 4.0;
/// Narrowest band, so that a stage nobody entered stays visible.
const MIN_WIDTH: f64 = 60.0;

/// Fill colours of the bands from the top, repeated when there are more stages.
const BAND_COLOURS: [&str; 4] = ["#c9d7fa", "#b0c4f6", "#97b1f2", "#7e9eee"];

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelStep {
    pub label: String,
    pub value: f64,
    /// Formatted value, such as the entered count.
    pub text: String,
    /// A second line, such as the conversion to the next stage.
    pub detail: String,
}

#[derive(Properties, PartialEq)]
pub struct FunnelChartProps {
    /// Accessible name of the chart.
    pub title: AttrValue,
    pub steps: Vec<FunnelStep>,
    pub hint: AttrValue,
}

fn describe(step: &FunnelStep) -> String {
    format!("{}: {} · {}", step.label, step.text, step.detail)
}

#[function_component]
pub fn FunnelChart(props: &FunnelChartProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let figure = use_node_ref();
    let width = use_element_width(figure.clone(), FALLBACK_WIDTH);
    let values: Vec<f64> = props.steps.iter().map(|step| step.value).collect();
    let bands = funnel_bands(&values, width, BAND_HEIGHT, GAP, MIN_WIDTH);
    let height = bands
        .last()
        .map_or(BAND_HEIGHT, |band| band.top + band.height);
    let shapes = props.steps.iter().zip(&bands).enumerate().map(|(index, (step, band))| {
        let colour = BAND_COLOURS[index % BAND_COLOURS.len()];
        let class = classes!("funnel-band", (*selected == Some(index)).then_some("selected"));
        let centre = coordinate(width / 2.0);
        html! {
            <g {class} onclick={toggle(&selected, index)}>
                <title>{ describe(step) }</title>
                <polygon points={band.points(width)} fill={colour} />
                <text x={centre.clone()} y={coordinate(band.top + LABEL_FONT + 4.0)} text-anchor="middle"
                    class="chart-label strong">{ format!("{} · {}", step.label, step.text) }</text>
                <text x={centre} y={coordinate(band.top + LABEL_FONT + 20.0)} text-anchor="middle"
                    class="chart-number">{ &step.detail }</text>
            </g>
        }
    });
    let text = (*selected)
        .and_then(|index| props.steps.get(index))
        .map(describe);
    html! {
        <figure class="chart funnel-chart" ref={figure}>
            <svg viewBox={format!("0 0 {} {}", coordinate(width), coordinate(height))} role="img"
                aria-label={props.title.clone()}>
                { for shapes }
            </svg>
            <SelectedValue {text} hint={props.hint.clone()} />
        </figure>
    }
}
