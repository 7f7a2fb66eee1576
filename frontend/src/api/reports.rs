//! `/reports/…`: the sales reports behind the dashboard. Every amount is in the
//! organization's base currency, which each report names.

use api_types::reports::{
    BottleneckReport, ChannelRoiReport, ForecastAccuracyReport, ForecastReport, FunnelReport,
    QuotaAttainmentReport, RepPerformanceReport, SegmentReport,
};
use serde::Serialize;
use uuid::Uuid;

use super::{ApiError, get_json, query_string};
use crate::view_model::dashboard::{DEFAULT_STALE_DAYS, DashboardFilters};

/// The query parameters that every report accepts, as far as the dashboard sets them.
/// The organization's time zone applies, because `time_zone` is left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportQuery {
    pub pipeline_id: Option<Uuid>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub region: Option<String>,
    pub product_line: Option<String>,
    pub customer_type: Option<String>,
    pub source: Option<String>,
    /// What to group by, for the reports that offer a choice.
    pub dimension: Option<&'static str>,
}

impl ReportQuery {
    /// Builds the query of a report from the dashboard's filters.
    pub fn new(filters: &DashboardFilters, dimension: Option<&'static str>) -> ReportQuery {
        let filters = filters.clone();
        ReportQuery {
            pipeline_id: filters.pipeline_id,
            from: filters.from,
            to: filters.to,
            owner_id: filters.owner_id,
            team_id: filters.team_id,
            region: filters.region,
            product_line: filters.product_line,
            customer_type: filters.customer_type,
            source: filters.source,
            dimension,
        }
    }
}

/// The query of the bottleneck report: the common filters, the pipeline and the thresholds.
/// The server rejects unknown parameters, so this has no `dimension`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BottleneckQuery {
    pub pipeline_id: Option<Uuid>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub region: Option<String>,
    pub product_line: Option<String>,
    pub customer_type: Option<String>,
    pub source: Option<String>,
    /// Days without an activity after which an open deal is listed.
    pub stale_days: u32,
    /// Length of the trailing window the period is compared with, in days.
    pub baseline_days: u32,
    /// Most stalled deals listed; `stalled_count` still counts them all.
    pub limit: u32,
}

/// The bottleneck report's baseline window, in days before the period.
pub const BASELINE_DAYS: u32 = 180;

/// Most stalled deals the dashboard lists.
pub const STALLED_LIMIT: u32 = 50;

impl BottleneckQuery {
    /// Builds the query from the dashboard's filters, with the default `stale_days` when
    /// the filter bar sets none.
    pub fn new(filters: &DashboardFilters) -> BottleneckQuery {
        let filters = filters.clone();
        BottleneckQuery {
            pipeline_id: filters.pipeline_id,
            from: filters.from,
            to: filters.to,
            owner_id: filters.owner_id,
            team_id: filters.team_id,
            region: filters.region,
            product_line: filters.product_line,
            customer_type: filters.customer_type,
            source: filters.source,
            stale_days: filters.stale_days.unwrap_or(DEFAULT_STALE_DAYS),
            baseline_days: BASELINE_DAYS,
            limit: STALLED_LIMIT,
        }
    }
}

fn report_path(name: &str, query: &ReportQuery) -> String {
    format!("/reports/{name}{}", query_string(query))
}

/// Reads the funnel of `query.pipeline_id`, which the server requires.
pub async fn funnel(query: &ReportQuery) -> Result<FunnelReport, ApiError> {
    get_json(report_path("funnel", query)).await
}

/// Reads won figures, win rate and cycle per user and per team.
pub async fn rep_performance(query: &ReportQuery) -> Result<RepPerformanceReport, ApiError> {
    get_json(report_path("rep-performance", query)).await
}

/// Reads days to close by `query.dimension`: `close_month`, `product_line` or `region`.
pub async fn sales_cycle(query: &ReportQuery) -> Result<SegmentReport, ApiError> {
    get_json(report_path("sales-cycle", query)).await
}

/// Reads won amount, win rate and cycle by `query.dimension`: `product_line`, `region` or
/// `customer_type`.
pub async fn breakdown(query: &ReportQuery) -> Result<SegmentReport, ApiError> {
    get_json(report_path("breakdown", query)).await
}

/// Reads deals and won amount by `query.dimension`: `source` or `channel`.
pub async fn sources(query: &ReportQuery) -> Result<SegmentReport, ApiError> {
    get_json(report_path("sources", query)).await
}

/// Reads won amount against campaign cost per channel.
pub async fn channel_roi(query: &ReportQuery) -> Result<ChannelRoiReport, ApiError> {
    get_json(report_path("channel-roi", query)).await
}

/// Reads open pipeline, raw and weighted, by expected close month.
pub async fn forecast(query: &ReportQuery) -> Result<ForecastReport, ApiError> {
    get_json(report_path("forecast", query)).await
}

/// Reads each quota's target beside what was won towards it.
pub async fn quota_attainment(query: &ReportQuery) -> Result<QuotaAttainmentReport, ApiError> {
    get_json(report_path("quota-attainment", query)).await
}

/// Reads won and lost deals by `query.dimension`: `reason` or `competitor`.
pub async fn win_loss(query: &ReportQuery) -> Result<SegmentReport, ApiError> {
    get_json(report_path("win-loss", query)).await
}

/// Reads time in stage and conversion against a baseline, and the stalled open deals of
/// `query.pipeline_id`.
pub async fn bottlenecks(query: &BottleneckQuery) -> Result<BottleneckReport, ApiError> {
    get_json(format!("/reports/bottlenecks{}", query_string(query))).await
}

/// Reads each past month's forecast, from the snapshot taken before it, against what was
/// won in it. The query has neither pipeline nor dimension.
pub async fn forecast_accuracy(query: &ReportQuery) -> Result<ForecastAccuracyReport, ApiError> {
    let query = ReportQuery {
        pipeline_id: None,
        dimension: None,
        ..query.clone()
    };
    get_json(report_path("forecast-accuracy", &query)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bottleneck_query_sets_defaults() {
        let filters = DashboardFilters {
            pipeline_id: Some(Uuid::from_u128(3)),
            region: Some("East".to_owned()),
            ..DashboardFilters::default()
        };
        let query = query_string(&BottleneckQuery::new(&filters));
        assert!(
            query.contains("pipeline_id=00000000-0000-0000-0000-000000000003"),
            "{query}"
        );
        assert!(query.contains("region=East"), "{query}");
        assert!(query.contains("stale_days=14"), "{query}");
        assert!(query.contains("baseline_days=180"), "{query}");
        assert!(query.contains("limit=50"), "{query}");
        assert!(!query.contains("dimension"), "{query}");
    }

    #[test]
    fn bottleneck_query_keeps_stale_days() {
        let filters = DashboardFilters {
            stale_days: Some(30),
            ..DashboardFilters::default()
        };
        let query = query_string(&BottleneckQuery::new(&filters));
        assert!(query.contains("stale_days=30"), "{query}");
    }

    #[test]
    fn report_query_carries_segment_filters() {
        let filters = DashboardFilters {
            customer_type: Some("retail".to_owned()),
            source: Some("web".to_owned()),
            stale_days: Some(30),
            ..DashboardFilters::default()
        };
        let query = query_string(&ReportQuery::new(&filters, Some("reason")));
        assert_eq!(query, "?customer_type=retail&source=web&dimension=reason");
    }
}
