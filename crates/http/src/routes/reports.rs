//! `/reports/*`: sales analytics computed in the database, in JSON or CSV.
//!
//! Every report takes the same filters, converts amounts into the organization's base
//! currency, and answers `?format=csv` or `Accept: text/csv` with the same numbers as CSV.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use api_types::Problem;
use api_types::deals::calendar_date;
use api_types::reports::{
    BottleneckReport, ChannelRoiReport, ForecastAccuracyReport, ForecastReport,
    ForecastSnapshotSummary, FunnelReport, QuotaAttainmentReport, RepPerformanceReport,
    SegmentReport,
};
use domain::{Role, Scope};
use persistence::repo::reports::{Dimension, ReportFilter};
use serde::Deserialize;
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{Member, QueryParams};
use crate::state::AppState;

mod build;
mod csv_out;

use build::{BottleneckOptions, ReportContext};
use csv_out::ToCsv;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(funnel)
        .service(rep_performance)
        .service(sales_cycle)
        .service(breakdown)
        .service(sources)
        .service(channel_roi)
        .service(forecast)
        .service(quota_attainment)
        .service(win_loss)
        .service(bottlenecks)
        .service(forecast_accuracy)
        .service(take_forecast_snapshot);
}

/// The representation of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Json,
    Csv,
}

/// Query parameters shared by every report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Only deals of this pipeline; required by the funnel.
    pipeline_id: Option<Uuid>,
    /// First day of the period, inclusive (`YYYY-MM-DD`). Closed deals count by close date,
    /// the forecast by expected close date, the funnel by the day a deal entered a stage.
    #[serde(default, with = "calendar_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    from: Option<Date>,
    /// Last day of the period, inclusive (`YYYY-MM-DD`).
    #[serde(default, with = "calendar_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    to: Option<Date>,
    /// IANA time zone for the days of instants (stage changes, activities); the
    /// organization's when omitted.
    time_zone: Option<String>,
    /// Only deals owned by this user. A rep may pass only their own id.
    owner_id: Option<Uuid>,
    /// Only deals of this team. A rep may pass only their own team.
    team_id: Option<Uuid>,
    region: Option<String>,
    /// Only deals with a line item whose product is of this line.
    product_line: Option<String>,
    customer_type: Option<String>,
    source: Option<String>,
    /// What to group by, where the report offers a choice (see each report).
    dimension: Option<String>,
    /// `json` (default) or `csv`; `Accept: text/csv` also selects CSV.
    format: Option<ReportFormat>,
    /// Bottlenecks only: days without an activity after which an open deal counts as stalled,
    /// 1 to 365 (default 14).
    #[param(minimum = 1, maximum = 365)]
    stale_days: Option<u32>,
    /// Bottlenecks only: days of the trailing baseline before the period, 7 to 730
    /// (default 180).
    #[param(minimum = 7, maximum = 730)]
    baseline_days: Option<u32>,
    /// Bottlenecks only: most stalled deals to list, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u64>,
}

impl ReportQuery {
    /// Builds the repository filter, keeping a rep to their own figures.
    fn filter(&self, scope: &Scope) -> Result<ReportFilter, ApiError> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(ApiError::invalid(
                "to",
                "before_from",
                format!("to {to} is before from {from}: pass a later end date"),
            ));
        }
        if scope.role == Role::Rep {
            if self.owner_id.is_some_and(|id| id != scope.user_id) {
                return Err(ApiError::forbidden(
                    "reps see only their own figures in reports: omit owner_id or pass your own user id",
                ));
            }
            if self.team_id.is_some_and(|id| !scope.team_ids.contains(&id)) {
                return Err(ApiError::forbidden(
                    "reps see only their own team in reports: omit team_id or pass your own team's id",
                ));
            }
        }
        Ok(ReportFilter {
            pipeline_id: self.pipeline_id,
            from: self.from,
            to: self.to,
            owner_id: self.owner_id,
            team_id: self.team_id,
            region: self.region.clone(),
            product_line: self.product_line.clone(),
            customer_type: self.customer_type.clone(),
            source: self.source.clone(),
        })
    }

    /// Picks the dimension from `choices` by name, the first when none is given.
    fn dimension(&self, choices: &[(&str, Dimension)]) -> Result<(String, Dimension), ApiError> {
        let Some(name) = self.dimension.as_deref() else {
            let (name, dimension) = choices[0];
            return Ok((name.to_owned(), dimension));
        };
        match choices.iter().find(|(known, _)| *known == name) {
            Some((name, dimension)) => Ok(((*name).to_owned(), *dimension)),
            None => {
                let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
                Err(ApiError::invalid(
                    "dimension",
                    "unknown_dimension",
                    format!(
                        "unknown dimension {name:?}: use one of {}",
                        names.join(", ")
                    ),
                ))
            }
        }
    }
}

/// Whether the request asks for CSV through `format` or the `Accept` header.
fn wants_csv(request: &HttpRequest, format: Option<ReportFormat>) -> bool {
    if let Some(format) = format {
        return format == ReportFormat::Csv;
    }
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.to_ascii_lowercase().contains("text/csv"))
}

/// Sends a report as JSON, or as CSV named after the report.
fn respond<T: serde::Serialize + ToCsv>(
    request: &HttpRequest,
    format: Option<ReportFormat>,
    name: &str,
    report: &T,
) -> Result<HttpResponse, ApiError> {
    if !wants_csv(request, format) {
        return Ok(HttpResponse::Ok().json(report));
    }
    let body = csv_out::render(report).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .body(body))
}

/// Funnel
///
/// Per stage of one pipeline: deals that entered it within the period (by the day, in
/// `time_zone`, of the stage change), how many moved on to a later stage, the conversion
/// stage to stage and from the first stage, and the drop-off. Needs `pipeline_id`.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "The funnel; CSV with format=csv", body = FunnelReport),
        (status = 403, description = "A rep asked for another rep's or team's figures", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing pipeline_id, unknown time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/funnel")]
async fn funnel(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let pipeline_id = query.pipeline_id.ok_or_else(|| {
        ApiError::invalid(
            "pipeline_id",
            "required",
            "the funnel needs pipeline_id: pass the id of one pipeline",
        )
    })?;
    let report = context.funnel(&state.db, pipeline_id).await?;
    respond(&request, query.format, "funnel", &report)
}

/// Rep performance
///
/// Per user and per team: won count and amount, win rate, average deal size, average sales
/// cycle, open pipeline and activities logged. A rep receives only their own row and their
/// team's row beside the totals.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "Figures per user and team; CSV with format=csv", body = RepPerformanceReport),
        (status = 403, description = "A rep asked for another rep's or team's figures", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/rep-performance")]
async fn rep_performance(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let report = context.rep_performance(&state.db).await?;
    respond(&request, query.format, "rep-performance", &report)
}

/// Sales cycle
///
/// Average and median days from engagement (or creation) to close of won deals, by
/// `dimension`: `close_month` (default), `product_line` or `region`.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "Cycle figures per segment; CSV with format=csv", body = SegmentReport),
        (status = 422, description = "Unknown dimension, time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/sales-cycle")]
async fn sales_cycle(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let dimension = query.dimension(&[
        ("close_month", Dimension::CloseMonth),
        ("product_line", Dimension::ProductLine),
        ("region", Dimension::Region),
    ])?;
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let report = context.segments(&state.db, dimension, true).await?;
    respond(&request, query.format, "sales-cycle", &report)
}

/// Breakdown
///
/// Won amount, win rate, cycle and open pipeline side by side by `dimension`:
/// `product_line` (default), `region` or `customer_type`. A deal with products of several
/// lines counts in full under each of them, so product-line rows can add up to more than
/// the totals, which count every deal once.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "Figures per segment; CSV with format=csv", body = SegmentReport),
        (status = 422, description = "Unknown dimension, time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/breakdown")]
async fn breakdown(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let dimension = query.dimension(&[
        ("product_line", Dimension::ProductLine),
        ("region", Dimension::Region),
        ("customer_type", Dimension::CustomerType),
    ])?;
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let report = context.segments(&state.db, dimension, true).await?;
    respond(&request, query.format, "breakdown", &report)
}

/// Lead sources
///
/// Deals and won amount by `dimension`: `source` (default) or `channel`.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "Figures per source or channel; CSV with format=csv", body = SegmentReport),
        (status = 422, description = "Unknown dimension, time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/sources")]
async fn sources(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let dimension = query.dimension(&[
        ("source", Dimension::Source),
        ("channel", Dimension::Channel),
    ])?;
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let report = context.segments(&state.db, dimension, false).await?;
    respond(&request, query.format, "sources", &report)
}

/// Channel ROI
///
/// Per channel: won amount within the period, the cost of campaigns on the channel that
/// overlap the period, and ROI = (won amount − cost) ÷ cost.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "ROI per channel; CSV with format=csv", body = ChannelRoiReport),
        (status = 422, description = "Unknown time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/channel-roi")]
async fn channel_roi(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let report = context.channel_roi(&state.db).await?;
    respond(&request, query.format, "channel-roi", &report)
}

/// Forecast
///
/// Open pipeline by expected close month, raw and weighted by stage probability, beside
/// the amount won in each month. `from` and `to` bound the expected and actual close dates.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "Pipeline per month; CSV with format=csv", body = ForecastReport),
        (status = 422, description = "Unknown time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/forecast")]
async fn forecast(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let report = context.forecast(&state.db).await?;
    respond(&request, query.format, "forecast", &report)
}

/// Quota attainment
///
/// Each quota whose period overlaps `from`..`to`, with the amount its user or team won
/// within the period so far, attainment = won ÷ target, and the gap to target. A rep
/// receives only their own quotas and their team's.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "Attainment per quota; CSV with format=csv", body = QuotaAttainmentReport),
        (status = 422, description = "Unknown time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/quota-attainment")]
async fn quota_attainment(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let report = context.quota_attainment(&state.db).await?;
    respond(&request, query.format, "quota-attainment", &report)
}

/// Win and loss
///
/// Closed deals counted and valued by `dimension`: `reason` (default, the win or loss
/// reason) or `competitor`, with won and lost side by side.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "Won and lost per reason or competitor; CSV with format=csv", body = SegmentReport),
        (status = 422, description = "Unknown dimension, time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/win-loss")]
async fn win_loss(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let dimension = query.dimension(&[
        ("reason", Dimension::WinLossReason),
        ("competitor", Dimension::Competitor),
    ])?;
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let report = context.segments(&state.db, dimension, false).await?;
    respond(&request, query.format, "win-loss", &report)
}

/// Bottlenecks and stalled deals
///
/// Per open stage of one pipeline: days in the stage (median, p75, p90) and the share of
/// deals that moved forward. Both are measured for deals that left the stage within the
/// period and within the trailing baseline before it. The report names the stage that slowed
/// down most and the one whose conversion fell most. It lists the open deals that sat in their stage longer than their
/// team's p90 for it, are past their expected close date, or had no activity for
/// `stale_days`, largest amount first. Without `from`, the period is the 90 days that end
/// with `to`, which defaults to today. Needs `pipeline_id`.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "Stage times, conversion and stalled deals; CSV with format=csv", body = BottleneckReport),
        (status = 403, description = "A rep asked for another rep's or team's figures", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing pipeline_id, a setting out of range, unknown time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/bottlenecks")]
async fn bottlenecks(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = BottleneckOptions {
        pipeline_id: query.pipeline_id.ok_or_else(|| {
            ApiError::invalid(
                "pipeline_id",
                "required",
                "the bottleneck report needs pipeline_id: pass the id of one pipeline",
            )
        })?,
        stale_days: in_range("stale_days", query.stale_days, 14, 1..=365)?,
        baseline_days: in_range("baseline_days", query.baseline_days, 180, 7..=730)?,
        limit: in_range("limit", query.limit, 50, 1..=500)?,
    };
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let report = context.bottlenecks(&state.db, options).await?;
    respond(&request, query.format, "bottlenecks", &report)
}

/// Returns `value`, or `default` when it is absent. Fails with an error naming `field` when
/// the value is outside `range`.
fn in_range<T>(
    field: &str,
    value: Option<T>,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ApiError>
where
    T: PartialOrd + std::fmt::Display + Copy,
{
    let value = value.unwrap_or(default);
    if range.contains(&value) {
        return Ok(value);
    }
    Err(ApiError::invalid(
        field,
        "out_of_range",
        format!(
            "{field} is {value} but must be from {} to {}",
            range.start(),
            range.end()
        ),
    ))
}

/// Forecast accuracy
///
/// For each month from `from` to `to`, by default the twelve months that end with the
/// current one. The open pipeline expected to close in the month, raw and weighted by stage
/// probability, comes from the latest forecast snapshot taken on or before its first day and
/// is set against what was won in the month. Snapshots are stored per pipeline, owner
/// and team, so only those filters apply.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "Forecast against won per month; CSV with format=csv", body = ForecastAccuracyReport),
        (status = 403, description = "A rep asked for another rep's or team's figures", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A filter that snapshots do not keep, unknown time zone or invalid period", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/forecast-accuracy")]
async fn forecast_accuracy(
    state: web::Data<AppState>,
    member: Member,
    request: HttpRequest,
    query: QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let unsupported = [
        ("region", query.region.is_some()),
        ("product_line", query.product_line.is_some()),
        ("customer_type", query.customer_type.is_some()),
        ("source", query.source.is_some()),
    ];
    if let Some((field, _)) = unsupported.into_iter().find(|(_, given)| *given) {
        return Err(ApiError::invalid(
            field,
            "unsupported_filter",
            format!(
                "forecast snapshots are kept per pipeline, owner and team, so {field} cannot filter them: remove {field}"
            ),
        ));
    }
    let context = ReportContext::load(&state.db, member.scope, &query).await?;
    let report = context.forecast_accuracy(&state.db).await?;
    respond(&request, query.format, "forecast-accuracy", &report)
}

/// Take a forecast snapshot
///
/// Stores the organization's open pipeline as it is now, per pipeline, owner, team and
/// expected close month, under today's date in the organization's time zone, replacing a
/// snapshot taken earlier today. The server also takes one every day by itself. Needs the
/// manager role or above.
#[utoipa::path(
    tag = "reports",
    responses(
        (status = 201, description = "The snapshot was stored", body = ForecastSnapshotSummary),
        (status = 403, description = "Only managers, admins and owners take snapshots", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/reports/forecast-snapshots")]
async fn take_forecast_snapshot(
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let scope = member.scope;
    if !matches!(scope.role, Role::Owner | Role::Admin | Role::Manager) {
        return Err(ApiError::forbidden(
            "only managers, admins and owners take forecast snapshots",
        ));
    }
    let settings = persistence::repo::reports::organization_settings(&state.db, &scope).await?;
    let zone = persistence::repo::reports::report_zone(None, &settings)?;
    let now = domain::time::now_utc();
    let taken_on = zone.today();
    let rows =
        persistence::repo::forecast_snapshots::take(&state.db, scope.org_id, taken_on, now).await?;
    Ok(HttpResponse::Created().json(ForecastSnapshotSummary { taken_on, rows }))
}
