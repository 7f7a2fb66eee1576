//! A line over ordered categories such as months, with a dot per value.

use yew::prelude::*;

use super::{SelectedValue, coordinate, short_label, toggle};
use crate::view_model::charts::{line_points, nice_max};

const WIDTH: f64 = 420.0;
const PLOT_LEFT: f64 = 40.0;
const PLOT_RIGHT: f64 = 12.0;
const PLOT_HEIGHT: f64 = 150.0;
/// Room under the plot for the category labels.
const AXIS_ROOM: f64 = 22.0;
/// Most category labels written under the axis; the others are skipped so they never overlap.
const MAX_AXIS_LABELS: usize = 6;

/// One value of the line: its category, its height in data units and its formatted text.
#[derive(Debug, Clone, PartialEq)]
pub struct LinePoint {
    pub label: String,
    pub value: f64,
    pub text: String,
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

#[function_component]
pub fn LineChart(props: &LineChartProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let values: Vec<f64> = props.points.iter().map(|point| point.value).collect();
    let max = nice_max(values.iter().copied().fold(0.0, f64::max));
    let plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT;
    let positions = line_points(&values, max, plot_width, PLOT_HEIGHT);
    let path = positions
        .iter()
        .map(|(x, y)| format!("{},{}", coordinate(PLOT_LEFT + x), coordinate(*y)))
        .collect::<Vec<_>>()
        .join(" ");
    let label_every = props.points.len().div_ceil(MAX_AXIS_LABELS).max(1);

    let dots =
        props
            .points
            .iter()
            .zip(&positions)
            .enumerate()
            .map(|(index, (point, (x, y)))| {
                let x = PLOT_LEFT + x;
                let class = classes!(
                    "chart-point",
                    (*selected == Some(index)).then_some("selected")
                );
                let axis_label = (index % label_every == 0).then(|| html! {
            <text x={coordinate(x)} y={coordinate(PLOT_HEIGHT + 16.0)} text-anchor="middle"
                class="chart-label">{ short_label(&point.label) }</text>
        });
                html! {
                    <g {class} onclick={toggle(&selected, index)}>
                        <title>{ format!("{}: {}", point.label, point.text) }</title>
                        <circle class="chart-hit" cx={coordinate(x)} cy={coordinate(*y)} r="10" />
                        <circle cx={coordinate(x)} cy={coordinate(*y)} r="3.5" />
                        { for axis_label }
                    </g>
                }
            });
    let text = (*selected)
        .and_then(|index| props.points.get(index))
        .map(|point| format!("{}: {}", point.label, point.text));
    html! {
        <figure class="chart line-chart">
            <svg viewBox={format!("0 -8 {WIDTH} {}", coordinate(PLOT_HEIGHT + AXIS_ROOM + 8.0))}
                role="img" aria-label={props.title.clone()}>
                <line class="chart-axis" x1={coordinate(PLOT_LEFT)} x2={coordinate(WIDTH - PLOT_RIGHT)}
                    y1={coordinate(PLOT_HEIGHT)} y2={coordinate(PLOT_HEIGHT)} />
                <line class="chart-grid" x1={coordinate(PLOT_LEFT)} x2={coordinate(WIDTH - PLOT_RIGHT)} y1="0" y2="0" />
                <text x={coordinate(PLOT_LEFT - 4.0)} y="4" text-anchor="end" class="chart-number">
                    { props.axis_text.emit(max) }
                </text>
                <text x={coordinate(PLOT_LEFT - 4.0)} y={coordinate(PLOT_HEIGHT)} text-anchor="end"
                    class="chart-number">{ "0" }</text>
                <polyline class="chart-line" points={path} />
                { for dots }
            </svg>
            <SelectedValue {text} hint={props.hint.clone()} />
        </figure>
    }
}
