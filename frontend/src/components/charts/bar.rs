//! Horizontal bars, one row per category, with one bar per series and an optional target.

use yew::prelude::*;

use super::{SelectedValue, coordinate, short_label, toggle};
use crate::view_model::charts::{nice_max, scale};

const WIDTH: f64 = 420.0;
/// Left edge of the bars; the category labels end just before it.
const BARS_LEFT: f64 = 110.0;
/// Room right of the longest bar for its value text.
const VALUE_ROOM: f64 = 90.0;
const BAR_HEIGHT: f64 = 14.0;
const ROW_GAP: f64 = 10.0;

/// Fill colours of the series, in order.
const SERIES_COLOURS: [&str; 3] = ["#2f5bd3", "#8fb0f5", "#12805c"];

/// One bar: its length in data units and the formatted value shown for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub value: f64,
    pub text: String,
}

/// One category: its label, one bar per series and an optional target marker.
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    pub label: String,
    pub bars: Vec<Bar>,
    pub target: Option<Bar>,
}

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    /// Accessible name of the chart.
    pub title: AttrValue,
    /// Names of the series, shown in the legend when there is more than one.
    pub series: Vec<String>,
    pub rows: Vec<BarRow>,
    /// Name of the target marker in the legend and the selected-value label.
    #[prop_or_default]
    pub target_name: Option<String>,
    pub hint: AttrValue,
}

/// Describes a row in full: label, then each series and the target with their values.
fn describe(row: &BarRow, series: &[String], target_name: Option<&str>) -> String {
    let mut parts: Vec<String> = row
        .bars
        .iter()
        .zip(series)
        .map(|(bar, name)| format!("{name} {}", bar.text))
        .collect();
    if let (Some(target), Some(name)) = (&row.target, target_name) {
        parts.push(format!("{name} {}", target.text));
    }
    format!("{}: {}", row.label, parts.join(" · "))
}

#[function_component]
pub fn BarChart(props: &BarChartProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let series_count = props.series.len().max(1) as f64;
    let row_height = BAR_HEIGHT * series_count + ROW_GAP;
    let height = (row_height * props.rows.len() as f64).max(row_height);
    let length = WIDTH - BARS_LEFT - VALUE_ROOM;
    let largest = props
        .rows
        .iter()
        .flat_map(|row| row.bars.iter().chain(row.target.iter()))
        .map(|bar| bar.value)
        .fold(0.0, f64::max);
    let max = nice_max(largest);
    let target_name = props.target_name.as_deref();

    let rows = props.rows.iter().enumerate().map(|(index, row)| {
        let top = index as f64 * row_height;
        let label_y = top + BAR_HEIGHT * series_count / 2.0 + 4.0;
        let bars = row.bars.iter().enumerate().map(|(series, bar)| {
            let y = top + BAR_HEIGHT * series as f64;
            let bar_length = scale(bar.value, max, length);
            let colour = SERIES_COLOURS[series % SERIES_COLOURS.len()];
            html! {
                <>
                    <rect x={coordinate(BARS_LEFT)} y={coordinate(y)} width={coordinate(bar_length)}
                        height={coordinate(BAR_HEIGHT - 2.0)} fill={colour} />
                    <text x={coordinate(BARS_LEFT + bar_length + 4.0)} y={coordinate(y + BAR_HEIGHT - 4.0)}
                        class="chart-number">{ &bar.text }</text>
                </>
            }
        });
        let target = row.target.as_ref().map(|target| {
            let x = BARS_LEFT + scale(target.value, max, length);
            html! {
                <line class="chart-target" x1={coordinate(x)} x2={coordinate(x)}
                    y1={coordinate(top - 2.0)} y2={coordinate(top + BAR_HEIGHT * series_count)} />
            }
        });
        let class = classes!("chart-row", (*selected == Some(index)).then_some("selected"));
        html! {
            <g {class} onclick={toggle(&selected, index)}>
                <title>{ describe(row, &props.series, target_name) }</title>
                <rect class="chart-hit" x="0" y={coordinate(top - ROW_GAP / 2.0)}
                    width={coordinate(WIDTH)} height={coordinate(row_height)} />
                <text x={coordinate(BARS_LEFT - 6.0)} y={coordinate(label_y)} text-anchor="end"
                    class="chart-label">{ short_label(&row.label) }</text>
                { for bars }
                { for target }
            </g>
        }
    });
    let legend = (props.series.len() > 1 || target_name.is_some()).then(|| {
        let entries = props.series.iter().enumerate().map(|(index, name)| {
            let colour = SERIES_COLOURS[index % SERIES_COLOURS.len()];
            html! { <li><span class="swatch" style={format!("background:{colour}")}></span>{ name }</li> }
        });
        let target = target_name
            .map(|name| html! { <li><span class="swatch target"></span>{ name }</li> });
        html! { <ul class="chart-legend">{ for entries }{ for target }</ul> }
    });
    let text = (*selected)
        .and_then(|index| props.rows.get(index))
        .map(|row| describe(row, &props.series, target_name));
    html! {
        <figure class="chart bar-chart">
            { for legend }
            <svg viewBox={format!("0 -6 {WIDTH} {}", coordinate(height + 6.0))} role="img"
                aria-label={props.title.clone()}>
                { for rows }
            </svg>
            <SelectedValue {text} hint={props.hint.clone()} />
        </figure>
    }
}
