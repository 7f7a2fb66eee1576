//! A line over ordered categories such as months, with a dot per value.

use yew::prelude::*;

use super::{LABEL_FONT, NUMBER_FONT, SelectedValue, coordinate, short_label, toggle};
use crate::hooks::use_element_width;
use crate::view_model::charts::{centred_text_x, line_points, nice_max, text_width};

/// Width assumed until the chart's box has been measured.
const FALLBACK_WIDTH: f64 = 360.0;
/// Room above the plot for the value written over its highest point.
const PLOT_TOP: f64 = NUMBER_FONT + 12.0;
const PLOT_RIGHT: f64 = 12.0;
const PLOT_HEIGHT: f64 = 150.0;
/// Room under the plot for the category labels.
const AXIS_ROOM: f64 = LABEL_FONT + 12.0;
/// Most category labels written under the axis; the others are skipped so they never overlap.
const MAX_AXIS_LABELS: usize = 6;

/// One value of the line: its category, its height in data units and its formatted text.
#[derive(Debug, Clone, PartialEq)]
pub struct LinePoint {
    pub label: String,
    pub value: f64,
    /// The value in full, for the `<title>` and the selected-value label.
    pub text: String,
    /// The value in brief, such as `51.8 d`, written above the point.
    pub brief: String,
}

#[derive(Properties, PartialEq)]
pub struct LineChartProps {
    /// Accessible name of the chart.
    pub title: AttrValue,
    pub points: Vec<LinePoint>,
    /// Text of the axis maximum, such as `60 days`, given the maximum value.
    pub axis_text: Callback<f64, String>,
    pub hint: AttrValue,
}

/// Returns the index of the highest point, the first of equal ones.
fn highest(points: &[LinePoint]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (index, point) in points.iter().enumerate() {
        if best.is_none_or(|best| point.value > points[best].value) {
            best = Some(index);
        }
    }
    best
}

#[function_component]
pub fn LineChart(props: &LineChartProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let figure = use_node_ref();
    let width = use_element_width(figure.clone(), FALLBACK_WIDTH);
    let values: Vec<f64> = props.points.iter().map(|point| point.value).collect();
    let max = nice_max(values.iter().copied().fold(0.0, f64::max));
    let max_text = props.axis_text.emit(max);
    let plot_left = (text_width(&max_text, NUMBER_FONT) + 8.0).max(24.0);
    let plot_width = (width - plot_left - PLOT_RIGHT).max(0.0);
    let positions: Vec<(f64, f64)> = line_points(&values, max, plot_width, PLOT_HEIGHT)
        .into_iter()
        .map(|(x, y)| (plot_left + x, PLOT_TOP + y))
        .collect();
    let path = positions
        .iter()
        .map(|(x, y)| format!("{},{}", coordinate(*x), coordinate(*y)))
        .collect::<Vec<_>>()
        .join(" ");
    let label_every = props.points.len().div_ceil(MAX_AXIS_LABELS).max(1);
    let bottom = PLOT_TOP + PLOT_HEIGHT;
    // The highest point and the tapped one get their value written above them.
    let labelled = [highest(&props.points), *selected];

    let dots = props
        .points
        .iter()
        .zip(&positions)
        .enumerate()
        .map(|(index, (point, (x, y)))| {
            let class = classes!(
                "chart-point",
                (*selected == Some(index)).then_some("selected")
            );
            let axis_label = (index % label_every == 0).then(|| {
                let label = short_label(&point.label);
                let label_x = centred_text_x(*x, text_width(&label, LABEL_FONT), 0.0, width);
                html! {
                    <text x={coordinate(label_x)} y={coordinate(bottom + LABEL_FONT + 4.0)}
                        text-anchor="middle" class="chart-label">{ label }</text>
                }
            });
            let value_label = labelled.contains(&Some(index)).then(|| {
                let value_x = centred_text_x(*x, text_width(&point.brief, NUMBER_FONT), 0.0, width);
                html! {
                    <text x={coordinate(value_x)} y={coordinate(y - 8.0)} text-anchor="middle"
                        class="chart-number chart-point-value">{ &point.brief }</text>
                }
            });
            html! {
                <g {class} onclick={toggle(&selected, index)}>
                    <title>{ format!("{}: {}", point.label, point.text) }</title>
                    <circle class="chart-hit" cx={coordinate(*x)} cy={coordinate(*y)} r="12" />
                    <circle cx={coordinate(*x)} cy={coordinate(*y)} r="4" />
                    { for value_label }
                    { for axis_label }
                </g>
            }
        });
    let text = (*selected)
        .and_then(|index| props.points.get(index))
        .map(|point| format!("{}: {}", point.label, point.text));
    let right = width - PLOT_RIGHT;
    html! {
        <figure class="chart line-chart" ref={figure}>
            <svg viewBox={format!("0 0 {} {}", coordinate(width), coordinate(bottom + AXIS_ROOM))}
                role="img" aria-label={props.title.clone()}>
                <line class="chart-axis" x1={coordinate(plot_left)} x2={coordinate(right)}
                    y1={coordinate(bottom)} y2={coordinate(bottom)} />
                <line class="chart-grid" x1={coordinate(plot_left)} x2={coordinate(right)}
                    y1={coordinate(PLOT_TOP)} y2={coordinate(PLOT_TOP)} />
                <text x={coordinate(plot_left - 4.0)} y={coordinate(PLOT_TOP + 4.0)} text-anchor="end"
                    class="chart-number chart-axis-max">{ max_text }</text>
                <text x={coordinate(plot_left - 4.0)} y={coordinate(bottom + 4.0)} text-anchor="end"
                    class="chart-number">{ "0" }</text>
                <polyline class="chart-line" points={path} />
                { for dots }
            </svg>
            <SelectedValue {text} hint={props.hint.clone()} />
        </figure>
    }
}
