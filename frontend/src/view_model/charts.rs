//! Geometry of the SVG charts: axis maximums, bar lengths, line points and funnel shapes.
//! Every function takes plain numbers and returns coordinates in the chart's viewBox units.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Converts a decimal from the API to a float for drawing, with 0 for values out of range.
pub fn to_f64(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

/// Rounds `max` up to 1, 2 or 5 times a power of ten, so the axis ends on a round value.
/// Returns 1 when `max` is zero, negative or not finite, so scaling never divides by zero.
pub fn nice_max(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let power = 10_f64.powf(max.log10().floor());
    let fraction = max / power;
    let step = match fraction {
        f if f <= 1.0 => 1.0,
        f if f <= 2.0 => 2.0,
        f if f <= 5.0 => 5.0,
        _ => 10.0,
    };
    step * power
}

/// Scales `value` from `0..=max` onto `0..=length`, clamping negative values to 0 and values
/// above `max` to `length`.
pub fn scale(value: f64, max: f64, length: f64) -> f64 {
    if max <= 0.0 || !value.is_finite() {
        return 0.0;
    }
    (value / max).clamp(0.0, 1.0) * length
}

/// Places `values` evenly across `width` and scales them onto `height`, with larger values
/// higher up (smaller y), as SVG's y axis points down.
pub fn line_points(values: &[f64], max: f64, width: f64, height: f64) -> Vec<(f64, f64)> {
    let step = match values.len() {
        0 | 1 => 0.0,
        count => width / (count - 1) as f64,
    };
    let offset = if values.len() == 1 { width / 2.0 } else { 0.0 };
    values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let x = offset + step * index as f64;
            (x, height - scale(*value, max, height))
        })
        .collect()
}

/// Estimates the width of `text` in pixels at `font_size` pixels. CJK characters are one
/// em wide, other characters are counted at 0.62 em, a little over the average width of
/// digits and Latin letters in system sans-serif fonts, so the estimate errs wide.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match is_wide(c) {
            true => 1.0,
            false => 0.62,
        })
        .sum();
    ems * font_size
}

/// Returns whether `c` is drawn one em wide: CJK ideographs, kana and full-width forms.
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

/// Charts narrower than this, in pixels, write each bar's label above it instead of
/// beside it, which leaves the whole width to the bar and its value.
pub const LABELS_BESIDE_MIN_WIDTH: f64 = 480.0;

/// The layout of a horizontal bar chart's parts, in pixels of its viewBox.
#[derive(Debug, Clone, PartialEq)]
pub struct BarLayout {
    /// Whether category labels sit on a line above their bars rather than to their left.
    pub labels_above: bool,
    /// Left edge of the bars.
    pub bars_left: f64,
    /// Length of a bar whose value is the axis maximum.
    pub bar_length: f64,
    pub width: f64,
}

impl BarLayout {
    /// Lays out a chart `width` pixels wide whose widest label and widest value text are
    /// `label_width` and `value_width` pixels. Labels beside the bars take at most 30% of
    /// the width, and value texts at most 55% of what remains, so the bars keep some room.
    pub fn new(width: f64, label_width: f64, value_width: f64) -> BarLayout {
        let labels_above = width < LABELS_BESIDE_MIN_WIDTH;
        let bars_left = match labels_above {
            true => 0.0,
            false => label_width.min(width * 0.3) + 8.0,
        };
        let room = width - bars_left;
        let value_room = (value_width + 6.0).min(room * 0.55);
        BarLayout {
            labels_above,
            bars_left,
            bar_length: (room - value_room).max(0.0),
            width,
        }
    }

    /// Returns the x of a value text `text_width` wide after a bar `bar_length` long. The
    /// text moves left, over the bar, when it would pass the right edge.
    pub fn value_x(&self, bar_length: f64, text_width: f64) -> f64 {
        let after_bar = self.bars_left + bar_length + 4.0;
        after_bar.min(self.width - text_width).max(self.bars_left)
    }
}

/// Returns the x at which to centre a text `text_width` wide that belongs at `x`, moved
/// inwards as little as needed to stay within `left..=right`.
pub fn centred_text_x(x: f64, text_width: f64, left: f64, right: f64) -> f64 {
    let half = text_width / 2.0;
    if right - left < text_width {
        return (left + right) / 2.0;
    }
    x.clamp(left + half, right - half)
}

/// One band of the funnel: a trapezoid centred on the chart's axis.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelBand {
    pub top: f64,
    pub height: f64,
    /// Width at the top, proportional to the band's value.
    pub top_width: f64,
    /// Width at the bottom, the next band's top width, so the bands join.
    pub bottom_width: f64,
}

impl FunnelBand {
    /// Returns the SVG `points` of the trapezoid in a chart `width` wide.
    pub fn points(&self, width: f64) -> String {
        let centre = width / 2.0;
        let bottom = self.top + self.height;
        let (top_half, bottom_half) = (self.top_width / 2.0, self.bottom_width / 2.0);
        format!(
            "{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            centre - top_half,
            self.top,
            centre + top_half,
            self.top,
            centre + bottom_half,
            bottom,
            centre - bottom_half,
            bottom,
        )
    }
}

/// Builds one band per value, `band_height` tall with `gap` between bands. Widths are
/// proportional to the largest value, but never below `min_width`, so a stage that nobody
/// entered still shows its label.
pub fn funnel_bands(
    values: &[f64],
    width: f64,
    band_height: f64,
    gap: f64,
    min_width: f64,
) -> Vec<FunnelBand> {
    let max = values.iter().copied().fold(0.0, f64::max);
    let band_width = |value: f64| scale(value, max, width).max(min_width);
    values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let top_width = band_width(*value);
            let bottom_width = match values.get(index + 1) {
                Some(next) => band_width(*next).min(top_width),
                None => top_width,
            };
            FunnelBand {
                top: index as f64 * (band_height + gap),
                height: band_height,
                top_width,
                bottom_width,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_max_rounds_up_to_steps() {
        let cases = [
            (0.8, 1.0),
            (1.0, 1.0),
            (1.3, 2.0),
            (3.0, 5.0),
            (7.5, 10.0),
            (4_238.0, 5_000.0),
            (12_500_000.0, 20_000_000.0),
        ];
        for (max, expected) in cases {
            assert!(
                (nice_max(max) - expected).abs() < 1e-9,
                "nice_max({max}) is {}, expected {expected}",
                nice_max(max)
            );
        }
    }

    #[test]
    fn nice_max_of_nothing_is_one() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(-5.0), 1.0);
        assert_eq!(nice_max(f64::NAN), 1.0);
    }

    #[test]
    fn scale_clamps_to_length() {
        assert_eq!(scale(50.0, 200.0, 400.0), 100.0);
        assert_eq!(scale(-1.0, 200.0, 400.0), 0.0);
        assert_eq!(scale(300.0, 200.0, 400.0), 400.0);
        assert_eq!(scale(10.0, 0.0, 400.0), 0.0);
    }

    #[test]
    fn line_points_span_width_upwards() {
        let points = line_points(&[0.0, 50.0, 100.0], 100.0, 200.0, 80.0);
        assert_eq!(points, vec![(0.0, 80.0), (100.0, 40.0), (200.0, 0.0)]);
    }

    #[test]
    fn line_point_alone_is_centred() {
        assert_eq!(line_points(&[5.0], 10.0, 200.0, 80.0), vec![(100.0, 40.0)]);
        assert!(line_points(&[], 10.0, 200.0, 80.0).is_empty());
    }

    #[test]
    fn funnel_bands_narrow_and_join() {
        let bands = funnel_bands(&[100.0, 50.0, 0.0], 400.0, 40.0, 4.0, 20.0);
        assert_eq!(bands.len(), 3);
        assert_eq!(bands[0].top_width, 400.0);
        assert_eq!(bands[0].bottom_width, 200.0);
        assert_eq!(bands[1].top_width, 200.0);
        assert_eq!(bands[1].bottom_width, 20.0);
        assert_eq!(bands[2].top_width, 20.0);
        assert_eq!(bands[2].bottom_width, 20.0);
        assert_eq!(bands[2].top, 88.0);
    }

    #[test]
    fn funnel_band_never_widens_downwards() {
        let bands = funnel_bands(&[10.0, 40.0], 400.0, 40.0, 0.0, 20.0);
        assert_eq!(bands[0].bottom_width, 100.0);
    }

    #[test]
    fn funnel_band_points_are_centred() {
        let band = FunnelBand {
            top: 0.0,
            height: 10.0,
            top_width: 100.0,
            bottom_width: 50.0,
        };
        assert_eq!(
            band.points(200.0),
            "50.0,0.0 150.0,0.0 125.0,10.0 75.0,10.0"
        );
    }

    #[test]
    fn text_width_counts_cjk_wider() {
        assert!((text_width("ab", 10.0) - 12.4).abs() < 1e-9);
        assert!((text_width("赢单", 10.0) - 20.0).abs() < 1e-9);
        assert_eq!(text_width("", 12.0), 0.0);
    }

    #[test]
    fn narrow_bar_layout_puts_labels_above() {
        let layout = BarLayout::new(340.0, 120.0, 80.0);
        assert!(layout.labels_above);
        assert_eq!(layout.bars_left, 0.0);
        assert_eq!(layout.bar_length, 340.0 - 86.0);
    }

    #[test]
    fn wide_bar_layout_puts_labels_beside() {
        let layout = BarLayout::new(600.0, 100.0, 80.0);
        assert!(!layout.labels_above);
        assert_eq!(layout.bars_left, 108.0);
        assert_eq!(layout.bar_length, 600.0 - 108.0 - 86.0);
    }

    #[test]
    fn bar_layout_caps_long_labels_and_values() {
        let layout = BarLayout::new(600.0, 400.0, 900.0);
        assert_eq!(layout.bars_left, 188.0);
        assert!((layout.bar_length - 412.0 * 0.45).abs() < 1e-9);
    }

    #[test]
    fn value_text_stays_inside_chart() {
        let layout = BarLayout::new(300.0, 0.0, 60.0);
        assert_eq!(layout.value_x(100.0, 60.0), 104.0);
        let x = layout.value_x(layout.bar_length, 120.0);
        assert_eq!(x, 180.0);
        assert!(x + 120.0 <= 300.0);
    }

    #[test]
    fn centred_text_moves_inside_bounds() {
        assert_eq!(centred_text_x(100.0, 40.0, 0.0, 300.0), 100.0);
        assert_eq!(centred_text_x(5.0, 40.0, 0.0, 300.0), 20.0);
        assert_eq!(centred_text_x(298.0, 40.0, 0.0, 300.0), 280.0);
        assert_eq!(centred_text_x(50.0, 400.0, 0.0, 300.0), 150.0);
    }

    #[test]
    fn decimal_converts_to_float() {
        assert_eq!(to_f64(Decimal::new(12_345, 2)), 123.45);
    }
}
