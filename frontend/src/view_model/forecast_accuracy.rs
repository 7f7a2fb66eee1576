//! Forecast accuracy: each past month's forecast beside what was won in it.

use api_types::reports::ForecastAccuracyRow;

/// Returns the rows by month, oldest first. Months are `YYYY-MM`, so text order is
/// calendar order.
pub fn by_month(rows: &[ForecastAccuracyRow]) -> Vec<ForecastAccuracyRow> {
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| a.month.cmp(&b.month));
    rows
}

/// Returns whether a month has no forecast because no snapshot was taken before it.
pub fn has_no_snapshot(row: &ForecastAccuracyRow) -> bool {
    row.weighted_forecast.is_none() && row.forecast_amount.is_none()
}

/// Counts the months without a snapshot.
pub fn months_without_snapshot(rows: &[ForecastAccuracyRow]) -> usize {
    rows.iter().filter(|row| has_no_snapshot(row)).count()
}

#[cfg(test)]
mod tests {
    use api_types::Money;
    use rust_decimal::Decimal;

    use super::*;

    fn row(month: &str, forecast: Option<i64>, won: i64) -> ForecastAccuracyRow {
        let money = |amount: i64| Money {
            amount: Decimal::from(amount),
            currency: "USD".to_owned(),
        };
        ForecastAccuracyRow {
            month: month.to_owned(),
            snapshot_on: None,
            forecast_amount: forecast.map(|amount| money(amount * 2)),
            weighted_forecast: forecast.map(money),
            won_count: 1,
            won_amount: money(won),
            accuracy: None,
        }
    }

    #[test]
    fn rows_sort_oldest_first() {
        let rows = [
            row("2017-03", None, 1),
            row("2016-12", Some(5), 2),
            row("2017-01", None, 3),
        ];
        let months: Vec<String> = by_month(&rows).into_iter().map(|row| row.month).collect();
        assert_eq!(months, ["2016-12", "2017-01", "2017-03"]);
    }

    #[test]
    fn null_forecast_means_no_snapshot() {
        let rows = [row("2017-01", None, 10), row("2017-02", Some(5), 10)];
        assert!(has_no_snapshot(&rows[0]));
        assert!(!has_no_snapshot(&rows[1]));
        assert_eq!(months_without_snapshot(&rows), 1);
    }
}
