//! CSV forms of the reports: one header line, then one line per row with the same numbers
//! as the JSON form. Amounts are plain decimals and the currency has a column of its own.

use api_types::Money;
use api_types::reports::{
    BottleneckReport, ChannelRoiReport, ForecastAccuracyReport, ForecastReport, FunnelReport,
    QuotaAttainmentReport, RepPerformanceReport, SegmentReport, SegmentRow,
};
use rust_decimal::Decimal;

/// A report that can be written as a CSV table.
pub trait ToCsv {
    fn header(&self) -> Vec<&'static str>;
    fn rows(&self) -> Vec<Vec<String>>;
}

/// Writes the header and rows of a report as CSV text.
pub fn render<T: ToCsv>(report: &T) -> Result<String, CsvError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(report.header())?;
    for row in report.rows() {
        writer.write_record(row)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| CsvError(error.to_string()))?;
    String::from_utf8(bytes).map_err(|error| CsvError(error.to_string()))
}

/// A failure to write CSV into memory.
#[derive(Debug, thiserror::Error)]
#[error("writing the CSV report failed: {0}")]
pub struct CsvError(String);

impl From<csv::Error> for CsvError {
    fn from(error: csv::Error) -> Self {
        CsvError(error.to_string())
    }
}

fn text(value: &Option<String>) -> String {
    spreadsheet_safe(value.as_deref().unwrap_or_default())
}

/// Prefixes text that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab or
/// carriage return first) with an apostrophe, so an exported name cannot run as one.
fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn decimal(value: Option<Decimal>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

fn amount(money: &Money) -> String {
    money.amount.to_string()
}

const SEGMENT_HEADER: [&str; 16] = [
    "row",
    "dimension",
    "key",
    "label",
    "open_count",
    "open_amount",
    "won_count",
    "won_amount",
    "lost_count",
    "lost_amount",
    "win_rate",
    "average_deal_size",
    "average_cycle_days",
    "median_cycle_days",
    "activities",
    "currency",
];

fn segment_line(kind: &str, dimension: &str, row: &SegmentRow, currency: &str) -> Vec<String> {
    vec![
        kind.to_owned(),
        dimension.to_owned(),
        text(&row.key),
        text(&row.label),
        row.open_count.to_string(),
        amount(&row.open_amount),
        row.won_count.to_string(),
        amount(&row.won_amount),
        row.lost_count.to_string(),
        amount(&row.lost_amount),
        decimal(row.win_rate),
        row.average_deal_size
            .as_ref()
            .map(amount)
            .unwrap_or_default(),
        decimal(row.average_cycle_days),
        decimal(row.median_cycle_days),
        row.activities
            .map(|count| count.to_string())
            .unwrap_or_default(),
        currency.to_owned(),
    ]
}

impl ToCsv for SegmentReport {
    fn header(&self) -> Vec<&'static str> {
        SEGMENT_HEADER.to_vec()
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let mut lines: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| segment_line("segment", &self.dimension, row, &self.currency))
            .collect();
        lines.push(segment_line(
            "total",
            &self.dimension,
            &self.totals,
            &self.currency,
        ));
        lines
    }
}

impl ToCsv for RepPerformanceReport {
    fn header(&self) -> Vec<&'static str> {
        SEGMENT_HEADER.to_vec()
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let users = self
            .users
            .iter()
            .map(|row| segment_line("segment", "user", row, &self.currency));
        let teams = self
            .teams
            .iter()
            .map(|row| segment_line("segment", "team", row, &self.currency));
        let total = segment_line("total", "organization", &self.totals, &self.currency);
        users.chain(teams).chain([total]).collect()
    }
}

impl ToCsv for FunnelReport {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "stage_id",
            "stage",
            "kind",
            "entered",
            "moved_on",
            "dropped",
            "conversion_to_next",
            "conversion_from_first",
        ]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.stages
            .iter()
            .map(|stage| {
                vec![
                    stage.stage_id.to_string(),
                    stage.name.clone(),
                    stage.kind.clone(),
                    stage.entered.to_string(),
                    stage.moved_on.to_string(),
                    stage.dropped.to_string(),
                    decimal(stage.conversion_to_next),
                    decimal(stage.conversion_from_first),
                ]
            })
            .collect()
    }
}

impl ToCsv for ChannelRoiReport {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "channel",
            "won_count",
            "won_amount",
            "campaign_cost",
            "roi",
            "currency",
        ]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|row| {
                vec![
                    text(&row.channel),
                    row.won_count.to_string(),
                    amount(&row.won_amount),
                    amount(&row.campaign_cost),
                    decimal(row.roi),
                    self.currency.clone(),
                ]
            })
            .collect()
    }
}

impl ToCsv for ForecastReport {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "month",
            "open_count",
            "open_amount",
            "weighted_amount",
            "won_count",
            "won_amount",
            "currency",
        ]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|row| {
                vec![
                    text(&row.month),
                    row.open_count.to_string(),
                    amount(&row.open_amount),
                    amount(&row.weighted_amount),
                    row.won_count.to_string(),
                    amount(&row.won_amount),
                    self.currency.clone(),
                ]
            })
            .collect()
    }
}

impl ToCsv for QuotaAttainmentReport {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "quota_id",
            "user_id",
            "team_id",
            "label",
            "period_kind",
            "period_start",
            "period_end",
            "target",
            "won_count",
            "won_amount",
            "attainment",
            "gap",
            "currency",
        ]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|row| {
                vec![
                    row.quota_id.to_string(),
                    row.user_id.map(|id| id.to_string()).unwrap_or_default(),
                    row.team_id.map(|id| id.to_string()).unwrap_or_default(),
                    text(&row.label),
                    row.period_kind.clone(),
                    row.period_start.to_string(),
                    row.period_end.to_string(),
                    amount(&row.target),
                    row.won_count.to_string(),
                    amount(&row.won_amount),
                    decimal(row.attainment),
                    amount(&row.gap),
                    self.currency.clone(),
                ]
            })
            .collect()
    }
}

impl ToCsv for BottleneckReport {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "row",
            "id",
            "name",
            "stage",
            "owner",
            "exits",
            "median_days",
            "p75_days",
            "p90_days",
            "conversion",
            "baseline_exits",
            "baseline_median_days",
            "baseline_conversion",
            "time_ratio",
            "conversion_change",
            "amount",
            "days_in_stage",
            "stage_p90_days",
            "expected_close_date",
            "last_activity_at",
            "reasons",
            "currency",
        ]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let stages = self.stages.iter().map(|stage| {
            let mut row = vec![
                "stage".to_owned(),
                stage.stage_id.to_string(),
                spreadsheet_safe(&stage.name),
                spreadsheet_safe(&stage.name),
                String::new(),
                stage.exits.to_string(),
                decimal(stage.median_days),
                decimal(stage.p75_days),
                decimal(stage.p90_days),
                decimal(stage.conversion),
                stage.baseline_exits.to_string(),
                decimal(stage.baseline_median_days),
                decimal(stage.baseline_conversion),
                decimal(stage.time_ratio),
                decimal(stage.conversion_change),
            ];
            row.extend(std::iter::repeat_n(String::new(), 6));
            row.push(self.currency.clone());
            row
        });
        let stalled = self.stalled.iter().map(|deal| {
            let mut row = vec![
                "stalled_deal".to_owned(),
                deal.deal_id.to_string(),
                spreadsheet_safe(&deal.name),
                spreadsheet_safe(&deal.stage_name),
                text(&deal.owner_name),
            ];
            row.extend(std::iter::repeat_n(String::new(), 10));
            row.extend([
                deal.amount.as_ref().map(amount).unwrap_or_default(),
                deal.days_in_stage.to_string(),
                decimal(deal.stage_p90_days),
                deal.expected_close_date
                    .map(|date| date.to_string())
                    .unwrap_or_default(),
                deal.last_activity_at
                    .and_then(|at| {
                        at.format(&time::format_description::well_known::Rfc3339)
                            .ok()
                    })
                    .unwrap_or_default(),
                deal.reasons.join(" "),
                self.currency.clone(),
            ]);
            row
        });
        stages.chain(stalled).collect()
    }
}

impl ToCsv for ForecastAccuracyReport {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "month",
            "snapshot_on",
            "forecast_amount",
            "weighted_forecast",
            "won_count",
            "won_amount",
            "accuracy",
            "currency",
        ]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|row| {
                vec![
                    row.month.clone(),
                    row.snapshot_on
                        .map(|day| day.to_string())
                        .unwrap_or_default(),
                    row.forecast_amount.as_ref().map(amount).unwrap_or_default(),
                    row.weighted_forecast
                        .as_ref()
                        .map(amount)
                        .unwrap_or_default(),
                    row.won_count.to_string(),
                    amount(&row.won_amount),
                    decimal(row.accuracy),
                    self.currency.clone(),
                ]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_text_is_neutralised() {
        assert_eq!(
            text(&Some("=HYPERLINK(\"x\")".into())),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(text(&Some("@SUM(A1)".into())), "'@SUM(A1)");
        assert_eq!(text(&Some("East".into())), "East");
    }
}
