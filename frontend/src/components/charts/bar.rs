//! Horizontal bars, one row per category, with one bar per series and an optional target.

use yew::prelude::*;

use super::{LABEL_FONT, NUMBER_FONT, SelectedValue, coordinate, short_label, toggle};
use crate::hooks::use_element_width;
use crate::view_model::charts::{BarLayout, nice_max, scale, text_width};

/// Width assumed until the chart's box has been measured.
const FALLBACK_WIDTH: f64 = 360.0;
const BAR_HEIGHT: f64 = 16.0;
const ROW_GAP: f64 = 10.0;
/// Height of the label line above the bars on narrow charts.
const LABEL_LINE: f64 = LABEL_FONT + 5.0;

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
    /// Draws the label in bold and red, for a category the report points out.
    pub highlight: bool,
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

/// Lays out the chart for its measured width from its widest label and value text.
fn layout(width: f64, rows: &[BarRow]) -> BarLayout {
    let label_width = rows
        .iter()
        .map(|row| text_width(&short_label(&row.label), LABEL_FONT))
        .fold(0.0, f64::max);
    let value_width = rows
        .iter()
        .flat_map(|row| &row.bars)
        .map(|bar| text_width(&bar.text, NUMBER_FONT))
        .fold(0.0, f64::max);
    BarLayout::new(width, label_width, value_width)
}

#[function_component]
pub fn BarChart(props: &BarChartProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let figure = use_node_ref();
    let width = use_element_width(figure.clone(), FALLBACK_WIDTH);
    let layout = layout(width, &props.rows);
    let series_count = props.series.len().max(1) as f64;
    let bars_height = BAR_HEIGHT * series_count;
    let label_line = if layout.labels_above { LABEL_LINE } else { 0.0 };
    let row_height = label_line + bars_height + ROW_GAP;
    let height = (row_height * props.rows.len() as f64).max(row_height);
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
        let bars_top = top + label_line;
        let (label_x, label_y, anchor) = match layout.labels_above {
            true => (0.0, top + LABEL_FONT, "start"),
            false => (layout.bars_left - 8.0, bars_top + bars_height / 2.0 + 4.5, "end"),
        };
        let bars = row.bars.iter().enumerate().map(|(series, bar)| {
            let y = bars_top + BAR_HEIGHT * series as f64;
            let bar_length = scale(bar.value, max, layout.bar_length);
            let colour = SERIES_COLOURS[series % SERIES_COLOURS.len()];
            let text_x = layout.value_x(bar_length, text_width(&bar.text, NUMBER_FONT));
            html! {
                <>
                    <rect x={coordinate(layout.bars_left)} y={coordinate(y)} width={coordinate(bar_length)}
                        height={coordinate(BAR_HEIGHT - 2.0)} fill={colour} />
                    <text x={coordinate(text_x)} y={coordinate(y + BAR_HEIGHT - 4.0)}
                        class="chart-number">{ &bar.text }</text>
                </>
            }
        });
        let target = row.target.as_ref().map(|target| {
            let x = layout.bars_left + scale(target.value, max, layout.bar_length);
            html! {
                <line class="chart-target" x1={coordinate(x)} x2={coordinate(x)}
                    y1={coordinate(bars_top - 2.0)} y2={coordinate(bars_top + bars_height)} />
            }
        });
        let class = classes!(
            "chart-row",
            (*selected == Some(index)).then_some("selected"),
            row.highlight.then_some("highlight")
        );
        html! {
            <g {class} onclick={toggle(&selected, index)}>
                <title>{ describe(row, &props.series, target_name) }</title>
                <rect class="chart-hit" x="0" y={coordinate(top - ROW_GAP / 2.0)}
                    width={coordinate(layout.width)} height={coordinate(row_height)} />
                <text x={coordinate(label_x)} y={coordinate(label_y)} text-anchor={anchor}
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
        <figure class="chart bar-chart" ref={figure}>
            { for legend }
            <svg viewBox={format!("0 -6 {} {}", coordinate(layout.width), coordinate(height + 6.0))}
                role="img" aria-label={props.title.clone()}>
                { for rows }
            </svg>
            <SelectedValue {text} hint={props.hint.clone()} />
        </figure>
    }
}
