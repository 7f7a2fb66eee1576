//! `/reports/…`: the sales reports behind the dashboard. Every amount is in the
//! organization's base currency, which each report names.

use api_types::reports::{
    ChannelRoiReport, ForecastReport, FunnelReport, QuotaAttainmentReport, RepPerformanceReport,
    SegmentReport,
};
use serde::Serialize;
use uuid::Uuid;

use super::{ApiError, get_json, query_string};
use crate::view_model::dashboard::DashboardFilters;

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
            dimension,
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
