//! Sales reports. Every amount is in the organization's base currency, converted from each
//! deal's currency at the deal's stored exchange rate; rates and averages are decimal
//! strings.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::Money;
use crate::deals::calendar_date;

/// The period and zone a report covers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportPeriod {
    /// First day, inclusive, or `null` for no lower bound.
    #[serde(with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub from: Option<Date>,
    /// Last day, inclusive, or `null` for no upper bound.
    #[serde(with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub to: Option<Date>,
    /// IANA time zone in which instants (stage changes, activities) are bucketed into days.
    /// Calendar dates such as close dates are never shifted.
    #[cfg_attr(feature = "openapi", schema(example = "America/New_York"))]
    pub time_zone: String,
}

/// The deals of one segment: open now, and won or lost within the period.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentRow {
    /// The segment's value: a user or team id, a region, a product line, a month
    /// (`YYYY-MM`) and so on; `null` collects deals without one.
    pub key: Option<String>,
    /// Display name of a user or team segment.
    pub label: Option<String>,
    pub open_count: u64,
    pub open_amount: Money,
    pub won_count: u64,
    pub won_amount: Money,
    pub lost_count: u64,
    pub lost_amount: Money,
    /// Won ÷ (won + lost), or `null` without closed deals.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "0.6315"))]
    pub win_rate: Option<Decimal>,
    /// Won amount ÷ won count.
    pub average_deal_size: Option<Money>,
    /// Mean days from engagement (or creation) to close of won deals.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "51.78"))]
    pub average_cycle_days: Option<Decimal>,
    /// Median of the same days; present on the sales-cycle and breakdown reports.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "45"))]
    pub median_cycle_days: Option<Decimal>,
    /// Activities logged within the period; present on the rep-performance report.
    pub activities: Option<u64>,
}

/// A report of segments side by side, with the figures of all of them together.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentReport {
    /// ISO 4217 code of every amount in the report.
    #[cfg_attr(feature = "openapi", schema(example = "USD"))]
    pub currency: String,
    /// What the rows are grouped by.
    #[cfg_attr(feature = "openapi", schema(example = "region"))]
    pub dimension: String,
    pub period: ReportPeriod,
    /// One row per segment. By product line, a deal with products of several lines is in
    /// each of their rows.
    pub rows: Vec<SegmentRow>,
    /// Every deal once.
    pub totals: SegmentRow,
}

/// Rep performance per user and per team. A rep receives only their own user row and their
/// own team's row, beside the totals.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RepPerformanceReport {
    #[cfg_attr(feature = "openapi", schema(example = "USD"))]
    pub currency: String,
    pub period: ReportPeriod,
    pub users: Vec<SegmentRow>,
    pub teams: Vec<SegmentRow>,
    pub totals: SegmentRow,
}

/// One stage of the funnel.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FunnelStage {
    pub stage_id: Uuid,
    pub name: String,
    /// `open`, `won` or `lost`.
    pub kind: String,
    /// Deals that entered the stage within the period.
    pub entered: u64,
    /// Of those, deals that later moved to a later open stage or a won stage. Won and lost
    /// stages are outcomes, not steps: their `moved_on` and `dropped` are 0.
    pub moved_on: u64,
    /// `entered − moved_on`: lost, or still in the stage.
    pub dropped: u64,
    /// `moved_on ÷ entered`, or `null` for a won or lost stage.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub conversion_to_next: Option<Decimal>,
    /// `entered ÷ entered the first stage`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub conversion_from_first: Option<Decimal>,
}

/// The funnel of one pipeline over a period, from the stage-transition ledger.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FunnelReport {
    pub pipeline_id: Uuid,
    pub pipeline_name: String,
    pub period: ReportPeriod,
    /// Open stages by position, then won, then lost stages.
    pub stages: Vec<FunnelStage>,
    /// Deals that entered a won stage ÷ deals that entered the first stage.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub overall_conversion: Option<Decimal>,
}

/// Won amount and campaign cost of one channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelRoiRow {
    /// The channel in lower case without surrounding spaces, so spellings that differ only
    /// in case share a row.
    pub channel: Option<String>,
    /// Deals won within the period.
    pub won_count: u64,
    pub won_amount: Money,
    /// Cost of the campaigns on the channel that falls within the report's period: a
    /// campaign that only partly overlaps it counts with the share of its days inside it.
    pub campaign_cost: Money,
    /// `(won_amount − campaign_cost) ÷ campaign_cost`, or `null` without cost.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2.5"))]
    pub roi: Option<Decimal>,
}

/// Return on campaign spend per channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelRoiReport {
    #[cfg_attr(feature = "openapi", schema(example = "USD"))]
    pub currency: String,
    pub period: ReportPeriod,
    pub rows: Vec<ChannelRoiRow>,
}

/// Open pipeline expected to close in one month, beside what was won in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastRow {
    /// `YYYY-MM`, or `null` for open deals without an expected close date.
    #[cfg_attr(feature = "openapi", schema(example = "2026-05"))]
    pub month: Option<String>,
    pub open_count: u64,
    pub open_amount: Money,
    /// Open amount times each stage's win probability.
    pub weighted_amount: Money,
    /// Deals won with a close date in the month.
    pub won_count: u64,
    pub won_amount: Money,
}

/// The forecast by expected close month.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastReport {
    #[cfg_attr(feature = "openapi", schema(example = "USD"))]
    pub currency: String,
    pub period: ReportPeriod,
    pub rows: Vec<ForecastRow>,
}

/// One quota with what has been won towards it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaAttainmentRow {
    pub quota_id: Uuid,
    pub user_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    /// Name of the user or team.
    pub label: Option<String>,
    /// `month` or `quarter`.
    pub period_kind: String,
    #[serde(with = "calendar_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub period_start: Date,
    #[serde(with = "calendar_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub period_end: Date,
    pub target: Money,
    /// Won by the user or team with a close date within the period so far.
    pub won_amount: Money,
    pub won_count: u64,
    /// `won_amount ÷ target`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "0.8250"))]
    pub attainment: Option<Decimal>,
    /// `target − won_amount`; negative once the target is passed.
    pub gap: Money,
}

/// Quota attainment of the quotas whose period overlaps the report's period.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaAttainmentReport {
    #[cfg_attr(feature = "openapi", schema(example = "USD"))]
    pub currency: String,
    pub period: ReportPeriod,
    pub rows: Vec<QuotaAttainmentRow>,
}

/// Time in one stage and its conversion, in the period and in the trailing baseline before
/// it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageTiming {
    pub stage_id: Uuid,
    pub name: String,
    /// Deals that left the stage within the period.
    pub exits: u64,
    /// Days in the stage of those deals: median, 75th and 90th percentile (nearest rank).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "12.5"))]
    pub median_days: Option<Decimal>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "20.1"))]
    pub p75_days: Option<Decimal>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "31"))]
    pub p90_days: Option<Decimal>,
    /// Of the deals that left the stage, the share that moved to a later open stage or won.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "0.6200"))]
    pub conversion: Option<Decimal>,
    /// The same figures over the baseline window.
    pub baseline_exits: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "10"))]
    pub baseline_median_days: Option<Decimal>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "0.6600"))]
    pub baseline_conversion: Option<Decimal>,
    /// `median_days ÷ baseline_median_days`: above 1 when deals now sit longer.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1.25"))]
    pub time_ratio: Option<Decimal>,
    /// `conversion − baseline_conversion`: negative when fewer deals move on.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "-0.0400"))]
    pub conversion_change: Option<Decimal>,
}

/// An open deal that needs attention, with every reason it was listed for.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StalledDeal {
    pub deal_id: Uuid,
    pub name: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub stage_id: Uuid,
    pub stage_name: String,
    /// The deal's amount converted into the report's currency, or `null` without one.
    pub amount: Option<Money>,
    /// Days since the deal entered its current stage.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "41.2"))]
    pub days_in_stage: Decimal,
    /// The team's 90th percentile of days in this stage that the deal is measured against.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "31"))]
    pub stage_p90_days: Option<Decimal>,
    #[serde(with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub expected_close_date: Option<Date>,
    /// The latest activity logged on the deal, or `null` without any.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_activity_at: Option<time::OffsetDateTime>,
    /// `over_stage_p90`, `past_expected_close` and `no_recent_activity`.
    pub reasons: Vec<String>,
}

/// Stage times and conversion against a trailing baseline, and the open deals that have
/// stalled.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BottleneckReport {
    #[cfg_attr(feature = "openapi", schema(example = "USD"))]
    pub currency: String,
    pub pipeline_id: Uuid,
    pub pipeline_name: String,
    /// The period measured; when `from` is omitted it starts 90 days before `to`.
    pub period: ReportPeriod,
    /// The trailing window the period is compared with: the `baseline_days` days before it.
    pub baseline: ReportPeriod,
    /// Days without an activity after which an open deal is listed.
    pub stale_after_days: u32,
    /// Open stages by position.
    pub stages: Vec<StageTiming>,
    /// The stage whose median time grew most against the baseline, if any grew.
    pub slowest_stage_id: Option<Uuid>,
    /// The stage whose conversion fell most against the baseline, if any fell.
    pub weakest_stage_id: Option<Uuid>,
    /// Stalled open deals, largest amount first, at most `limit` of them.
    pub stalled: Vec<StalledDeal>,
    /// All stalled deals, also those beyond `limit`.
    pub stalled_count: u64,
}

/// The forecast for one month, made at its start, against what was won in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastAccuracyRow {
    /// `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(example = "2017-06"))]
    pub month: String,
    /// The day of the snapshot the forecast comes from, which is the latest one taken on or
    /// before the first day of the month. `null` when there is none.
    #[serde(with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub snapshot_on: Option<Date>,
    /// Open amount then expected to close in the month.
    pub forecast_amount: Option<Money>,
    /// The same, weighted by stage probability.
    pub weighted_forecast: Option<Money>,
    /// Won with a close date in the month.
    pub won_count: u64,
    pub won_amount: Money,
    /// `won_amount ÷ weighted_forecast`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "0.9100"))]
    pub accuracy: Option<Decimal>,
}

/// Forecast against actual for past months, from stored forecast snapshots.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastAccuracyReport {
    #[cfg_attr(feature = "openapi", schema(example = "USD"))]
    pub currency: String,
    pub period: ReportPeriod,
    pub rows: Vec<ForecastAccuracyRow>,
}

/// A stored forecast snapshot.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastSnapshotSummary {
    /// The day, in the organization's time zone, the snapshot describes.
    #[serde(with = "calendar_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub taken_on: Date,
    /// Rows stored: one per owner, pipeline and expected close month.
    pub rows: u64,
}
