//! The win and loss chart: closed deals per reason or competitor, won beside lost.

use std::cmp::Ordering;

use api_types::reports::SegmentRow;

use super::charts::to_f64;

/// The figure that sets the length of a win/loss bar. Both figures are written beside each bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WinLossMeasure {
    /// The amount of the closed deals, in the report's currency.
    #[default]
    Amount,
    /// The number of closed deals.
    Count,
}

impl WinLossMeasure {
    /// Returns the lengths of the won bar and the lost bar of `row`.
    pub fn values(self, row: &SegmentRow) -> (f64, f64) {
        match self {
            WinLossMeasure::Amount => (
                to_f64(row.won_amount.amount),
                to_f64(row.lost_amount.amount),
            ),
            WinLossMeasure::Count => (row.won_count as f64, row.lost_count as f64),
        }
    }
}

/// Returns the rows with closed deals, largest closed amount first, then most closed
/// deals, with the row of deals without a reason or competitor (`key` is `null`) last.
pub fn closed_rows(rows: &[SegmentRow]) -> Vec<SegmentRow> {
    let mut rows: Vec<SegmentRow> = rows
        .iter()
        .filter(|row| row.won_count + row.lost_count > 0)
        .cloned()
        .collect();
    rows.sort_by(|a, b| {
        let closed_amount = |row: &SegmentRow| row.won_amount.amount + row.lost_amount.amount;
        let unset_last = match (&a.key, &b.key) {
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Equal,
        };
        unset_last
            .then(closed_amount(b).cmp(&closed_amount(a)))
            .then((b.won_count + b.lost_count).cmp(&(a.won_count + a.lost_count)))
            .then(a.key.cmp(&b.key))
    });
    rows
}

#[cfg(test)]
mod tests {
    use api_types::Money;
    use rust_decimal::Decimal;

    use super::*;

    fn row(key: Option<&str>, won: (u64, i64), lost: (u64, i64)) -> SegmentRow {
        let money = |amount: i64| Money {
            amount: Decimal::from(amount),
            currency: "USD".to_owned(),
        };
        SegmentRow {
            key: key.map(str::to_owned),
            label: None,
            open_count: 0,
            open_amount: money(0),
            won_count: won.0,
            won_amount: money(won.1),
            lost_count: lost.0,
            lost_amount: money(lost.1),
            win_rate: None,
            average_deal_size: None,
            average_cycle_days: None,
            median_cycle_days: None,
            activities: None,
        }
    }

    fn keys(rows: &[SegmentRow]) -> Vec<Option<&str>> {
        rows.iter().map(|row| row.key.as_deref()).collect()
    }

    #[test]
    fn closed_rows_sort_by_closed_amount() {
        let rows = [
            row(Some("price"), (1, 100), (2, 300)),
            row(Some("fit"), (5, 900), (0, 0)),
            row(None, (9, 5_000), (9, 5_000)),
            row(Some("timing"), (1, 100), (3, 300)),
        ];
        let sorted = closed_rows(&rows);
        assert_eq!(
            keys(&sorted),
            [Some("fit"), Some("timing"), Some("price"), None]
        );
    }

    #[test]
    fn rows_without_closed_deals_are_dropped() {
        let rows = [
            row(Some("open only"), (0, 0), (0, 0)),
            row(Some("a"), (0, 0), (1, 5)),
        ];
        assert_eq!(keys(&closed_rows(&rows)), [Some("a")]);
    }

    #[test]
    fn measure_picks_amount_or_count() {
        let row = row(Some("price"), (2, 700), (3, 400));
        assert_eq!(WinLossMeasure::Amount.values(&row), (700.0, 400.0));
        assert_eq!(WinLossMeasure::Count.values(&row), (2.0, 3.0));
    }
}
