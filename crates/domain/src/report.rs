//! Arithmetic of the sales reports: currency conversion of grouped sums, rates, averages,
//! medians, funnel conversion, quota periods and time-zone day boundaries.
//!
//! The database groups and sums; these functions turn the grouped figures into the numbers a
//! report shows, exactly, with `rust_decimal`.

use rust_decimal::{Decimal, RoundingStrategy};
use time::{Date, Month, PrimitiveDateTime};

use crate::money::STORED_SCALE;

/// Decimal places of rates such as win rate, conversion and ROI (0.4235 is 42.35 %).
pub const RATE_SCALE: u32 = 4;

/// Decimal places of averages and medians of day counts.
pub const DAYS_SCALE: u32 = 2;

/// Converts a sum of ten-thousandths in one currency into the base currency at `rate`, the
/// value of one unit of that currency in the base currency. The result is exact: rounding to
/// the base currency happens once, in [`round_to_currency`], after all groups are added.
///
/// Returns `None` when the product leaves the range of `Decimal` (about 7.9 × 10^28).
pub fn convert_sum(sum_e4: i128, rate: Decimal) -> Option<Decimal> {
    let amount = Decimal::try_from_i128_with_scale(sum_e4, STORED_SCALE).ok()?;
    amount.checked_mul(rate)
}

/// Rounds a converted total to the minor unit of the currency, halves away from zero.
pub fn round_to_currency(amount: Decimal, minor_digits: u32) -> Decimal {
    let mut rounded =
        amount.round_dp_with_strategy(minor_digits, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(minor_digits);
    rounded
}

/// Divides two counts as a rate rounded to [`RATE_SCALE`] places, or `None` when
/// `denominator` is zero.
pub fn rate(numerator: u64, denominator: u64) -> Option<Decimal> {
    ratio(Decimal::from(numerator), Decimal::from(denominator))
}

/// Divides two decimals rounded to [`RATE_SCALE`] places, or `None` when `denominator` is
/// zero.
pub fn ratio(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    let quotient = numerator.checked_div(denominator)?;
    Some(round_to_scale(quotient, RATE_SCALE))
}

/// Rounds half away from zero and pads to exactly `scale` places, so every value of a
/// column prints with the same number of decimals.
fn round_to_scale(value: Decimal, scale: u32) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(scale);
    rounded
}

/// Return on investment: `(revenue − cost) ÷ cost`, or `None` without a positive cost.
pub fn roi(revenue: Decimal, cost: Decimal) -> Option<Decimal> {
    if cost <= Decimal::ZERO {
        return None;
    }
    ratio(revenue - cost, cost)
}

/// The mean of `count` values whose sum is `sum`, rounded to [`DAYS_SCALE`] places, or
/// `None` when there are no values.
pub fn average_days(sum: i64, count: u64) -> Option<Decimal> {
    if count == 0 {
        return None;
    }
    let mean = Decimal::from(sum).checked_div(Decimal::from(count))?;
    Some(round_to_scale(mean, DAYS_SCALE))
}

/// The median of a histogram of `(value, count)` pairs in any order: the middle value, or the
/// mean of the two middle values when the total count is even, to [`DAYS_SCALE`] places.
/// `None` when empty.
pub fn median_of_histogram(histogram: &[(i64, u64)]) -> Option<Decimal> {
    let mut sorted: Vec<(i64, u64)> = histogram
        .iter()
        .copied()
        .filter(|(_, count)| *count > 0)
        .collect();
    sorted.sort_unstable();
    let total: u64 = sorted.iter().map(|(_, count)| count).sum();
    if total == 0 {
        return None;
    }
    // Zero-based positions of the two middle values; equal when `total` is odd.
    let lower = value_at(&sorted, (total - 1) / 2)?;
    let upper = value_at(&sorted, total / 2)?;
    let median = (Decimal::from(lower) + Decimal::from(upper)) / Decimal::TWO;
    Some(round_to_scale(median, DAYS_SCALE))
}

/// The value at zero-based `position` of the sorted histogram expanded into a list.
fn value_at(sorted: &[(i64, u64)], position: u64) -> Option<i64> {
    let mut seen = 0;
    for (value, count) in sorted {
        seen += count;
        if position < seen {
            return Some(*value);
        }
    }
    None
}

/// How many deals entered one stage of a funnel and how many of them moved on to a later
/// stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageFlow {
    pub entered: u64,
    pub moved_on: u64,
    /// A won or lost stage: an outcome that deals end in, not a step they pass through.
    pub outcome: bool,
}

/// The derived figures of one funnel stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunnelStep {
    pub entered: u64,
    pub moved_on: u64,
    /// Deals that entered and did not move on: lost, or still in the stage. Always 0 for an
    /// outcome stage.
    pub dropped: u64,
    /// `moved_on ÷ entered`; `None` for an outcome stage.
    pub conversion_to_next: Option<Decimal>,
    /// `entered ÷ entered the first stage`.
    pub conversion_from_first: Option<Decimal>,
}

/// Derives conversion and drop-off for stages in funnel order, the first being the stage
/// every deal starts in. Outcome stages neither convert nor drop: their `entered` is how
/// many deals ended there.
pub fn funnel_steps(flows: &[StageFlow]) -> Vec<FunnelStep> {
    let first = flows.first().map(|flow| flow.entered).unwrap_or(0);
    flows
        .iter()
        .map(|flow| match flow.outcome {
            true => FunnelStep {
                entered: flow.entered,
                moved_on: 0,
                dropped: 0,
                conversion_to_next: None,
                conversion_from_first: rate(flow.entered, first),
            },
            false => FunnelStep {
                entered: flow.entered,
                moved_on: flow.moved_on,
                dropped: flow.entered.saturating_sub(flow.moved_on),
                conversion_to_next: rate(flow.moved_on, flow.entered),
                conversion_from_first: rate(flow.entered, first),
            },
        })
        .collect()
}

/// The length of a quota period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Month,
    Quarter,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
        }
    }

    /// Parses the stored name of a period kind.
    pub fn parse(name: &str) -> Option<PeriodKind> {
        [PeriodKind::Month, PeriodKind::Quarter]
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }

    /// Whether `start` is the first day of a period of this kind: the first of a month, or
    /// of January, April, July or October.
    pub fn is_period_start(self, start: Date) -> bool {
        let month = u8::from(start.month());
        start.day() == 1 && (self == PeriodKind::Month || month % 3 == 1)
    }

    /// The last day of the period that begins on `start`.
    pub fn period_end(self, start: Date) -> Date {
        let months = match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
        };
        let (mut year, mut month) = (start.year(), u8::from(start.month()));
        for _ in 0..months {
            (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
        }
        let next_start = Month::try_from(month)
            .ok()
            .and_then(|month| Date::from_calendar_date(year, month, 1).ok());
        next_start.and_then(Date::previous_day).unwrap_or(Date::MAX)
    }
}

/// Returns the first day of the month of `date`.
pub fn month_start(date: Date) -> Date {
    date.replace_day(1).unwrap_or(date)
}

/// Returns the first day of the month after the month of `date`, or `None` past the last
/// representable date.
pub fn next_month_start(date: Date) -> Option<Date> {
    PeriodKind::Month.period_end(month_start(date)).next_day()
}

/// Returns the month of `date` as `YYYY-MM`.
pub fn month_key(date: Date) -> String {
    format!("{:04}-{:02}", date.year(), u8::from(date.month()))
}

/// An invalid IANA time-zone name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}: use an IANA name such as America/New_York, Asia/Shanghai or UTC")]
pub struct UnknownTimeZone(pub String);

/// A time zone from the IANA database bundled with the program.
#[derive(Debug, Clone)]
pub struct Zone {
    name: String,
    zone: jiff::tz::TimeZone,
}

impl Zone {
    /// Looks up an IANA time-zone name such as `Europe/Berlin`.
    pub fn parse(name: &str) -> Result<Zone, UnknownTimeZone> {
        let zone = jiff::tz::TimeZone::get(name).map_err(|_| UnknownTimeZone(name.to_owned()))?;
        Ok(Zone {
            name: name.to_owned(),
            zone,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns today's date in this zone.
    pub fn today(&self) -> Date {
        let now = crate::time::now_utc();
        self.date_of(crate::time::from_stored(now))
            .unwrap_or(now.date())
    }

    /// Returns the calendar date of `instant` in this zone.
    pub fn date_of(&self, instant: time::OffsetDateTime) -> Option<Date> {
        let timestamp = jiff::Timestamp::from_second(instant.unix_timestamp()).ok()?;
        let civil = self.zone.to_datetime(timestamp).date();
        let month = time::Month::try_from(u8::try_from(civil.month()).ok()?).ok()?;
        Date::from_calendar_date(
            i32::from(civil.year()),
            month,
            u8::try_from(civil.day()).ok()?,
        )
        .ok()
    }

    /// The UTC instant at which `date` begins in this zone, in the stored form (UTC, no
    /// offset). Where a zone skips midnight, the day begins at the first instant after it.
    pub fn day_start_utc(&self, date: Date) -> Option<PrimitiveDateTime> {
        let civil = jiff::civil::date(
            i16::try_from(date.year()).ok()?,
            i8::try_from(u8::from(date.month())).ok()?,
            i8::try_from(date.day()).ok()?,
        );
        let zoned = civil.to_zoned_datetime(self.zone.clone()).ok()?;
        let seconds = zoned.timestamp().as_second();
        let instant = time::OffsetDateTime::from_unix_timestamp(seconds).ok()?;
        Some(crate::time::to_stored(instant))
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use time::macros::{date, datetime};

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or(Decimal::MAX)
    }

    #[test]
    fn convert_sum_is_exact() {
        // 1234.5678 EUR at 1.0837 USD per EUR is 1337.90112486 USD, with no float rounding.
        assert_eq!(
            convert_sum(12_345_678, dec("1.0837")),
            Some(dec("1337.90112486"))
        );
    }

    #[test]
    fn convert_sum_beyond_64_bits() {
        let sum_e4 = i128::from(i64::MAX) * 3;
        let converted = convert_sum(sum_e4, Decimal::ONE);
        assert_eq!(
            converted.map(|amount| amount * Decimal::from(10_000)),
            Some(Decimal::from_i128_with_scale(sum_e4, 0))
        );
    }

    #[test]
    fn converting_groups_then_rounding_once() {
        // Three deals of 0.01 EUR at 1.5: each alone rounds to 0.02, together 0.045 -> 0.05.
        let total = convert_sum(300, dec("1.5")).unwrap_or_default();
        assert_eq!(round_to_currency(total, 2).to_string(), "0.05");
    }

    #[test]
    fn round_to_currency_pads_scale() {
        assert_eq!(round_to_currency(dec("12"), 2).to_string(), "12.00");
        assert_eq!(round_to_currency(dec("-0.125"), 2).to_string(), "-0.13");
        assert_eq!(round_to_currency(dec("1500.5"), 0).to_string(), "1501");
    }

    #[test]
    fn rate_of_zero_is_none() {
        assert_eq!(rate(3, 0), None);
        assert_eq!(rate(0, 4), Some(Decimal::ZERO));
        assert_eq!(
            rate(2, 3).map(|rate| rate.to_string()),
            Some("0.6667".into())
        );
        assert_eq!(
            rate(9, 10).map(|rate| rate.to_string()),
            Some("0.9000".into())
        );
    }

    #[test]
    fn roi_needs_positive_cost() {
        assert_eq!(roi(dec("300"), dec("100")), Some(dec("2")));
        assert_eq!(roi(dec("50"), dec("100")), Some(dec("-0.5")));
        assert_eq!(roi(dec("50"), Decimal::ZERO), None);
    }

    #[test]
    fn average_days_rounds_to_hundredths() {
        assert_eq!(average_days(10, 3), Some(dec("3.33")));
        assert_eq!(average_days(0, 0), None);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(
            median_of_histogram(&[(5, 1), (1, 1), (3, 1)]),
            Some(dec("3"))
        );
        assert_eq!(median_of_histogram(&[(1, 2), (4, 2)]), Some(dec("2.5")));
        assert_eq!(median_of_histogram(&[(7, 0)]), None);
        assert_eq!(median_of_histogram(&[]), None);
    }

    #[test]
    fn median_of_skewed_histogram() {
        // 1, 1, 1, 10, 90: the middle value is 1.
        assert_eq!(
            median_of_histogram(&[(90, 1), (1, 3), (10, 1)]),
            Some(dec("1"))
        );
    }

    #[test]
    fn funnel_steps_derive_conversion() {
        let flows = [
            StageFlow {
                entered: 8800,
                moved_on: 8300,
                outcome: false,
            },
            StageFlow {
                entered: 8300,
                moved_on: 4238,
                outcome: false,
            },
            StageFlow {
                entered: 4238,
                moved_on: 0,
                outcome: true,
            },
            StageFlow {
                entered: 2473,
                moved_on: 0,
                outcome: true,
            },
        ];
        let steps = funnel_steps(&flows);
        assert_eq!(steps[0].dropped, 500);
        assert_eq!(steps[0].conversion_to_next, Some(dec("0.9432")));
        assert_eq!(steps[1].conversion_to_next, Some(dec("0.5106")));
        assert_eq!(steps[2].conversion_from_first, Some(dec("0.4816")));
        assert_eq!(steps[0].conversion_from_first, Some(Decimal::ONE));
        for outcome in &steps[2..] {
            assert_eq!(outcome.dropped, 0, "{outcome:?}");
            assert_eq!(outcome.conversion_to_next, None, "{outcome:?}");
        }
    }

    #[test]
    fn funnel_of_empty_period() {
        let steps = funnel_steps(&[StageFlow {
            entered: 0,
            moved_on: 0,
            outcome: false,
        }]);
        assert_eq!(steps[0].conversion_to_next, None);
        assert_eq!(steps[0].conversion_from_first, None);
    }

    #[test]
    fn month_helpers_cross_year() {
        assert_eq!(month_start(date!(2017 - 03 - 09)), date!(2017 - 03 - 01));
        assert_eq!(
            next_month_start(date!(2017 - 12 - 31)),
            Some(date!(2018 - 01 - 01))
        );
        assert_eq!(month_key(date!(2017 - 03 - 09)), "2017-03");
    }

    #[test]
    fn quarter_starts_and_ends() {
        assert!(PeriodKind::Quarter.is_period_start(date!(2026 - 04 - 01)));
        assert!(!PeriodKind::Quarter.is_period_start(date!(2026 - 05 - 01)));
        assert!(!PeriodKind::Month.is_period_start(date!(2026 - 05 - 02)));
        assert_eq!(
            PeriodKind::Quarter.period_end(date!(2026 - 10 - 01)),
            date!(2026 - 12 - 31)
        );
        assert_eq!(
            PeriodKind::Month.period_end(date!(2028 - 02 - 01)),
            date!(2028 - 02 - 29)
        );
    }

    #[test]
    fn day_start_follows_daylight_saving() {
        let Ok(new_york) = Zone::parse("America/New_York") else {
            panic!("the bundled database has America/New_York");
        };
        assert_eq!(
            new_york.day_start_utc(date!(2026 - 01 - 15)),
            Some(datetime!(2026-01-15 05:00))
        );
        assert_eq!(
            new_york.day_start_utc(date!(2026 - 07 - 15)),
            Some(datetime!(2026-07-15 04:00))
        );
    }

    #[test]
    fn zone_rejects_unknown_name() {
        assert!(Zone::parse("Mars/Olympus_Mons").is_err());
        assert!(Zone::parse("UTC").is_ok());
    }
}
