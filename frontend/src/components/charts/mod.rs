//! SVG charts drawn by the app from plain data: horizontal bars, a line and a funnel.
//!
//! Each chart measures its box and lays itself out in a `viewBox` of the same width, so one
//! viewBox unit is one CSS pixel and its texts render at their CSS size on a phone as on a
//! desktop. Each shows every value in an SVG `<title>` on hover, and writes the value of the
//! tapped item into a label below it, because touch screens have no hover.

pub mod bar;
pub mod funnel;
pub mod line;

use yew::prelude::*;

/// Font size of category labels in pixels; `.chart-label` in style.css sets the same.
pub const LABEL_FONT: f64 = 13.0;

/// Font size of values in pixels; `.chart-number` in style.css sets the same.
pub const NUMBER_FONT: f64 = 12.0;

/// Longest label, in characters, drawn beside a bar or under a point. The full text stays
/// in the item's `<title>` and in the selected-value label.
const MAX_LABEL_CHARS: usize = 14;

/// Shortens `label` to [`MAX_LABEL_CHARS`], ending it with `…` when cut.
pub fn short_label(label: &str) -> String {
    match label.chars().count() > MAX_LABEL_CHARS {
        true => {
            let kept: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
            format!("{kept}…")
        }
        false => label.to_owned(),
    }
}

/// Formats a coordinate for an SVG attribute.
fn coordinate(value: f64) -> String {
    format!("{value:.1}")
}

#[derive(Properties, PartialEq)]
pub struct SelectedValueProps {
    /// Text of the tapped item, or `None` for the hint.
    pub text: Option<String>,
    pub hint: AttrValue,
}

/// The label under a chart that shows the tapped item's value.
#[function_component]
pub fn SelectedValue(props: &SelectedValueProps) -> Html {
    let (class, text) = match &props.text {
        Some(text) => ("chart-value", text.clone()),
        None => ("chart-value muted", props.hint.to_string()),
    };
    html! { <p {class} aria-live="polite">{ text }</p> }
}

/// Returns a callback that selects item `index`, or clears the selection when it is
/// already selected.
fn toggle(selected: &UseStateHandle<Option<usize>>, index: usize) -> Callback<MouseEvent> {
    let selected = selected.clone();
    Callback::from(move |_: MouseEvent| {
        let next = (*selected != Some(index)).then_some(index);
        selected.set(next);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_label_keeps_short_text() {
        assert_eq!(short_label("East"), "East");
        assert_eq!(short_label("华东地区"), "华东地区");
    }

    #[test]
    fn short_label_cuts_long_text() {
        let label = short_label("Enterprise software suite");
        assert_eq!(label.chars().count(), MAX_LABEL_CHARS);
        assert!(label.ends_with('…'));
    }
}
