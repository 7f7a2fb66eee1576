//! The dashboard's filters as kept in the URL, and the figures its sections derive.

use api_types::reports::SegmentRow;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The filter bar's values, which apply to every report on the dashboard. They are kept in
/// the page's query string, so a link to the page reproduces the view.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DashboardFilters {
    pub pipeline_id: Option<Uuid>,
    /// First day, `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub region: Option<String>,
    pub product_line: Option<String>,
    pub customer_type: Option<String>,
    /// Lead source, such as `web` or `referral`.
    pub source: Option<String>,
    /// Days without an activity after which the bottleneck report lists an open deal;
    /// `None` leaves the server's default of [`DEFAULT_STALE_DAYS`].
    pub stale_days: Option<u32>,
}

/// The bottleneck report's default for `stale_days`, shown when the URL sets none.
pub const DEFAULT_STALE_DAYS: u32 = 14;

/// The range the `stale_days` control accepts, in days.
pub const STALE_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=365;

/// The query string as written by hand or by an older version: every value as text.
#[derive(Debug, Default, Deserialize)]
struct RawFilters {
    pipeline_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    owner_id: Option<String>,
    team_id: Option<String>,
    region: Option<String>,
    product_line: Option<String>,
    customer_type: Option<String>,
    source: Option<String>,
    stale_days: Option<String>,
}

/// Reads a `stale_days` value, or `None` when it is not a whole number in
/// [`STALE_DAYS_RANGE`].
pub fn stale_days(text: &str) -> Option<u32> {
    text.trim()
        .parse()
        .ok()
        .filter(|days| STALE_DAYS_RANGE.contains(days))
}

/// Returns the trimmed text, or `None` when it is empty.
pub fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Returns a calendar date in `YYYY-MM-DD` form, or `None` for anything else.
fn calendar_date(text: &str) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let text = text.trim();
    time::Date::parse(text, format)
        .ok()
        .map(|_| text.to_owned())
}

impl DashboardFilters {
    /// Reads the filters from a query string such as `pipeline_id=…&from=2017-01-01`,
    /// with or without its leading `?`. Unknown keys, invalid ids and invalid dates are
    /// ignored, so a mistyped link still opens the dashboard.
    pub fn from_query(query: &str) -> DashboardFilters {
        let query = query.strip_prefix('?').unwrap_or(query);
        let raw: RawFilters = serde_urlencoded::from_str(query).unwrap_or_default();
        let id = |text: Option<String>| text.and_then(|text| text.trim().parse().ok());
        let text = |text: Option<String>| text.as_deref().and_then(non_empty);
        let date = |text: Option<String>| text.as_deref().and_then(calendar_date);
        DashboardFilters {
            pipeline_id: id(raw.pipeline_id),
            from: date(raw.from),
            to: date(raw.to),
            owner_id: id(raw.owner_id),
            team_id: id(raw.team_id),
            region: text(raw.region),
            product_line: text(raw.product_line),
            customer_type: text(raw.customer_type),
            source: text(raw.source),
            stale_days: raw.stale_days.as_deref().and_then(stale_days),
        }
    }

    /// Encodes the set filters as a query string without the leading `?`.
    pub fn to_query(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }
}

/// Formats a ratio such as `0.6315` as a percentage with one decimal place: `63.2%`.
pub fn format_ratio(ratio: Decimal) -> String {
    let percent = (ratio * Decimal::ONE_HUNDRED).round_dp(1);
    format!("{percent:.1}%")
}

/// Formats an optional ratio, with `—` when it is absent.
pub fn format_optional_ratio(ratio: Option<Decimal>) -> String {
    ratio.map_or_else(|| "—".to_owned(), format_ratio)
}

/// Formats a number of days with one decimal place, or `—` when it is absent.
pub fn format_days(days: Option<Decimal>) -> String {
    days.map_or_else(|| "—".to_owned(), |days| format!("{:.1}", days.round_dp(1)))
}

/// Sorts the rep rows for the leaderboard: by won amount, then by won count, both
/// descending, then by name so ties keep a stable order.
pub fn leaderboard(rows: &[SegmentRow]) -> Vec<SegmentRow> {
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| {
        b.won_amount
            .amount
            .cmp(&a.won_amount.amount)
            .then(b.won_count.cmp(&a.won_count))
            .then(a.label.cmp(&b.label))
    });
    rows
}

#[cfg(test)]
mod tests {
    use api_types::Money;

    use super::*;

    fn row(label: &str, won_amount: i64, won_count: u64) -> SegmentRow {
        let money = |amount: i64| Money {
            amount: Decimal::from(amount),
            currency: "USD".to_owned(),
        };
        SegmentRow {
            key: Some(label.to_owned()),
            label: Some(label.to_owned()),
            open_count: 0,
            open_amount: money(0),
            won_count,
            won_amount: money(won_amount),
            lost_count: 0,
            lost_amount: money(0),
            win_rate: None,
            average_deal_size: None,
            average_cycle_days: None,
            median_cycle_days: None,
            activities: None,
        }
    }

    #[test]
    fn filters_round_trip_through_query() {
        let filters = DashboardFilters {
            pipeline_id: Some(Uuid::from_u128(7)),
            from: Some("2017-01-01".to_owned()),
            to: Some("2017-06-30".to_owned()),
            owner_id: None,
            team_id: Some(Uuid::from_u128(9)),
            region: Some("East & West".to_owned()),
            product_line: None,
            customer_type: Some("retail".to_owned()),
            source: Some("web".to_owned()),
            stale_days: Some(30),
        };
        let query = filters.to_query();
        assert!(
            !query.contains("owner_id"),
            "absent filters are left out: {query}"
        );
        assert_eq!(DashboardFilters::from_query(&query), filters);
        assert_eq!(DashboardFilters::from_query(&format!("?{query}")), filters);
    }

    #[test]
    fn empty_filters_have_empty_query() {
        assert_eq!(DashboardFilters::default().to_query(), "");
        assert_eq!(
            DashboardFilters::from_query(""),
            DashboardFilters::default()
        );
    }

    #[test]
    fn invalid_query_values_are_ignored() {
        let filters = DashboardFilters::from_query(
            "pipeline_id=nope&from=2017-13-01&to=2017-02-03&region=+&x=1",
        );
        assert_eq!(filters.pipeline_id, None);
        assert_eq!(filters.from, None);
        assert_eq!(filters.to.as_deref(), Some("2017-02-03"));
        assert_eq!(filters.region, None);
    }

    #[test]
    fn stale_days_outside_range_are_ignored() {
        assert_eq!(stale_days("30"), Some(30));
        assert_eq!(stale_days(" 7 "), Some(7));
        assert_eq!(stale_days("0"), None);
        assert_eq!(stale_days("366"), None);
        assert_eq!(stale_days("-3"), None);
        assert_eq!(stale_days("2.5"), None);
        assert_eq!(
            DashboardFilters::from_query("stale_days=abc").stale_days,
            None
        );
        assert_eq!(
            DashboardFilters::from_query("stale_days=21").stale_days,
            Some(21)
        );
    }

    #[test]
    fn ratio_formats_as_percent() {
        assert_eq!(format_ratio(Decimal::new(6315, 4)), "63.2%");
        assert_eq!(format_ratio(Decimal::ONE), "100.0%");
        assert_eq!(format_ratio(Decimal::ZERO), "0.0%");
        assert_eq!(format_optional_ratio(None), "—");
    }

    #[test]
    fn days_format_with_one_decimal() {
        assert_eq!(format_days(Some(Decimal::new(5178, 2))), "51.8");
        assert_eq!(format_days(Some(Decimal::from(45))), "45.0");
        assert_eq!(format_days(None), "—");
    }

    #[test]
    fn leaderboard_sorts_by_won_amount() {
        let rows = [row("Ann", 500, 2), row("Bob", 900, 1), row("Cai", 500, 3)];
        let sorted: Vec<_> = leaderboard(&rows)
            .into_iter()
            .map(|row| row.label.unwrap_or_default())
            .collect();
        assert_eq!(sorted, ["Bob", "Cai", "Ann"]);
    }
}
