//! The bottleneck report: days in each stage and stage conversion over a period and its
//! trailing baseline, and the open deals that have stalled.
//!
//! A stay is the time between a deal's transition into a stage and its next transition. The
//! percentiles are nearest-rank, picked in the database with window functions, so only one
//! row per stage (or per team and stage) reaches the server.

use std::collections::HashMap;

use domain::report::{self as math};
use domain::{Currency, Scope};
use rust_decimal::Decimal;
use sea_orm::sea_query::{
    Alias, Condition, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait};
use sea_orm::{QueryFilter, QueryResult};
use time::{Date, Duration, PrimitiveDateTime};
use uuid::Uuid;

use super::reports::{self, ReportFilter, count, deal_condition};
use crate::RepoError;
use crate::entities::{activity, deal, pipeline, stage, stage_transition};

const SECONDS_PER_DAY: i64 = 86_400;

/// The instants that bound a report: the period is `[period_start, period_end)` and its
/// baseline `[baseline_start, period_start)`, all UTC.
#[derive(Debug, Clone, Copy)]
pub struct Windows {
    pub baseline_start: PrimitiveDateTime,
    pub period_start: PrimitiveDateTime,
    pub period_end: PrimitiveDateTime,
}

/// The thresholds for stalled deals: the current instant, today in the report's zone, the
/// time without an activity that makes a deal stale, and the length of the list.
#[derive(Debug, Clone, Copy)]
pub struct StallRules {
    pub now: PrimitiveDateTime,
    pub today: Date,
    pub stale_after: Duration,
    pub limit: u64,
    /// The organization's base currency, which listed amounts are converted into.
    pub base: Currency,
}

/// The stays in one stage: their count, how many moved forward, and their length at the
/// median, 75th and 90th percentile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StayFigures {
    pub exits: u64,
    pub moved_on: u64,
    pub p50_seconds: Option<i64>,
    pub p75_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
}

/// One open stage with its figures in the period and in the baseline.
#[derive(Debug, Clone)]
pub struct StageTiming {
    pub stage: stage::Model,
    pub period: StayFigures,
    pub baseline: StayFigures,
}

/// An open deal listed as stalled.
#[derive(Debug, Clone)]
pub struct StalledDeal {
    pub deal_id: Uuid,
    pub name: String,
    pub owner_id: Option<Uuid>,
    pub stage_id: Uuid,
    pub stage_name: String,
    /// In the base currency, unrounded.
    pub amount: Option<Decimal>,
    pub stage_changed_at: PrimitiveDateTime,
    pub stage_p90_seconds: Option<i64>,
    pub expected_close_date: Option<Date>,
    pub last_activity_at: Option<PrimitiveDateTime>,
    pub over_stage_p90: bool,
    pub past_expected_close: bool,
    pub no_recent_activity: bool,
}

/// The whole bottleneck report of one pipeline.
#[derive(Debug, Clone)]
pub struct Bottlenecks {
    pub pipeline: pipeline::Model,
    pub stages: Vec<StageTiming>,
    pub stalled: Vec<StalledDeal>,
    pub stalled_count: u64,
}

/// The grouping of stays before their percentiles are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StayGroup {
    /// By stage, and by whether the stay ended in the period or in the baseline.
    StageAndWindow,
    /// By the deal's team and stage, over the baseline and period together.
    TeamAndStage,
}

/// Measures stage times and conversion of `pipeline_id` and lists its stalled open deals.
pub async fn bottlenecks(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    pipeline_id: Uuid,
    windows: Windows,
    rules: StallRules,
) -> Result<Bottlenecks, RepoError> {
    let pipeline = super::find_live::<pipeline::Entity, _>(db, scope, pipeline_id).await?;
    let mut open_stages = stage::Entity::find()
        .filter(stage::Column::OrgId.eq(scope.org_id))
        .filter(stage::Column::PipelineId.eq(pipeline_id))
        .filter(stage::Column::DeletedAt.is_null())
        .filter(stage::Column::Kind.eq("open"))
        .all(db)
        .await?;
    open_stages.sort_by_key(|stage| stage.position);
    let backend = db.get_database_backend();

    let mut period: HashMap<Uuid, StayFigures> = HashMap::new();
    let mut baseline: HashMap<Uuid, StayFigures> = HashMap::new();
    let query = stay_percentiles(
        backend,
        scope,
        filter,
        pipeline_id,
        windows,
        StayGroup::StageAndWindow,
    );
    for row in db.query_all(&query).await? {
        let stage_id: Uuid = row.try_get("", "stage_id")?;
        let in_period: i32 = row.try_get("", "in_period")?;
        let figures = read_figures(&row)?;
        match in_period {
            1 => period.insert(stage_id, figures),
            _ => baseline.insert(stage_id, figures),
        };
    }

    let mut p90: HashMap<(Option<Uuid>, Uuid), i64> = HashMap::new();
    let query = stay_percentiles(
        backend,
        scope,
        filter,
        pipeline_id,
        windows,
        StayGroup::TeamAndStage,
    );
    for row in db.query_all(&query).await? {
        let stage_id: Uuid = row.try_get("", "stage_id")?;
        let team_id: Option<Uuid> = row.try_get("", "team_id")?;
        if let Some(seconds) = read_figures(&row)?.p90_seconds {
            p90.insert((team_id, stage_id), seconds);
        }
    }

    let (stalled, stalled_count) =
        stalled_deals(db, scope, filter, pipeline_id, &p90, rules).await?;
    let stages = open_stages
        .into_iter()
        .map(|stage| StageTiming {
            period: period.get(&stage.id).copied().unwrap_or_default(),
            baseline: baseline.get(&stage.id).copied().unwrap_or_default(),
            stage,
        })
        .collect();
    Ok(Bottlenecks {
        pipeline,
        stages,
        stalled,
        stalled_count,
    })
}

fn read_figures(row: &QueryResult) -> Result<StayFigures, RepoError> {
    let moved_on: Option<i64> = row.try_get("", "moved_on")?;
    Ok(StayFigures {
        exits: count(row, "exits")?,
        moved_on: u64::try_from(moved_on.unwrap_or(0)).unwrap_or(0),
        p50_seconds: row.try_get("", "p50")?,
        p75_seconds: row.try_get("", "p75")?,
        p90_seconds: row.try_get("", "p90")?,
    })
}

/// Whole seconds from `start` to `end`, two timestamp expressions.
fn seconds_between(backend: DbBackend, start: &str, end: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS BIGINT)"),
        _ => format!("CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS INTEGER)"),
    }
}

/// Builds the query over the stays in open stages of the pipeline's deals that ended within
/// the baseline or the period. It groups them by `group`, with their count, forward moves and
/// percentiles of seconds.
fn stay_percentiles(
    backend: DbBackend,
    scope: &Scope,
    filter: &ReportFilter,
    pipeline_id: Uuid,
    windows: Windows,
    group: StayGroup,
) -> SelectStatement {
    // Each transition with the one that followed it for the same deal.
    let next = "OVER (PARTITION BY t.deal_id ORDER BY t.at, t.id)";
    let transitions = Query::select()
        .expr_as(Expr::cust("t.to_stage_id"), Alias::new("stage_id"))
        .expr_as(Expr::cust("deals.team_id"), Alias::new("team_id"))
        .expr_as(Expr::cust("t.at"), Alias::new("entered_at"))
        .expr_as(
            Expr::cust(format!("LEAD(t.at) {next}")),
            Alias::new("left_at"),
        )
        .expr_as(
            Expr::cust(format!("LEAD(t.to_stage_id) {next}")),
            Alias::new("next_stage_id"),
        )
        .from_as(stage_transition::Entity, Alias::new("t"))
        .join(
            JoinType::InnerJoin,
            deal::Entity,
            Condition::all()
                .add(Expr::cust("deals.id = t.deal_id"))
                .add(Expr::cust("deals.org_id = t.org_id")),
        )
        .cond_where(
            deal_condition(scope, filter)
                .add(Expr::col((Alias::new("t"), stage_transition::Column::OrgId)).eq(scope.org_id))
                .add(deal::Column::PipelineId.eq(pipeline_id))
                // A deal whose last stage change came before the baseline has no stay that
                // ends within it, and a transition after the period only ends stays that
                // end after it, so neither needs to reach the window functions.
                .add(deal::Column::StageChangedAt.gte(windows.baseline_start))
                .add(
                    Expr::col((Alias::new("t"), stage_transition::Column::At))
                        .lt(windows.period_end),
                ),
        )
        .to_owned();

    let left_at = || Expr::col((Alias::new("s"), Alias::new("left_at")));
    let stays = Query::select()
        .expr_as(Expr::cust("s.stage_id"), Alias::new("stage_id"))
        .expr_as(Expr::cust("s.team_id"), Alias::new("team_id"))
        .expr_as(
            Expr::case(left_at().gte(windows.period_start), 1).finally(0),
            Alias::new("in_period"),
        )
        .expr_as(
            Expr::cust(seconds_between(backend, "s.entered_at", "s.left_at")),
            Alias::new("seconds"),
        )
        .expr_as(
            Expr::cust(
                "CASE WHEN next_stage.kind = 'won' OR (next_stage.kind = 'open' \
                 AND next_stage.position > stay_stage.position) THEN 1 ELSE 0 END",
            ),
            Alias::new("forward"),
        )
        .from_subquery(transitions, Alias::new("s"))
        .join_as(
            JoinType::InnerJoin,
            stage::Entity,
            Alias::new("stay_stage"),
            Expr::cust("stay_stage.id = s.stage_id"),
        )
        .join_as(
            JoinType::InnerJoin,
            stage::Entity,
            Alias::new("next_stage"),
            Expr::cust("next_stage.id = s.next_stage_id"),
        )
        .and_where(Expr::cust("stay_stage.kind = 'open'"))
        .and_where(left_at().gte(windows.baseline_start))
        .and_where(left_at().lt(windows.period_end))
        .to_owned();

    let partition = match group {
        StayGroup::StageAndWindow => "stage_id, in_period",
        StayGroup::TeamAndStage => "team_id, stage_id",
    };
    let ranked = Query::select()
        .columns([
            Alias::new("stage_id"),
            Alias::new("team_id"),
            Alias::new("in_period"),
            Alias::new("seconds"),
            Alias::new("forward"),
        ])
        .expr_as(
            Expr::cust(format!(
                "ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY seconds)"
            )),
            Alias::new("stay_rank"),
        )
        .expr_as(
            Expr::cust(format!("COUNT(*) OVER (PARTITION BY {partition})")),
            Alias::new("stay_count"),
        )
        .from_subquery(stays, Alias::new("stay"))
        .to_owned();

    // Nearest rank: the smallest position p with p ≥ n × q.
    let percentile = |percent: u32| {
        Expr::cust(format!(
            "MIN(CASE WHEN stay_rank * 100 >= stay_count * {percent} THEN seconds END)"
        ))
    };
    let mut query = Query::select();
    query
        .column(Alias::new("stage_id"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("exits"))
        .expr_as(
            Func::cast_as(Func::sum(Expr::cust("forward")), "BIGINT"),
            Alias::new("moved_on"),
        )
        .expr_as(percentile(50), Alias::new("p50"))
        .expr_as(percentile(75), Alias::new("p75"))
        .expr_as(percentile(90), Alias::new("p90"))
        .from_subquery(ranked, Alias::new("ranked"));
    match group {
        StayGroup::StageAndWindow => query
            .column(Alias::new("in_period"))
            .add_group_by([Expr::cust("stage_id"), Expr::cust("in_period")]),
        StayGroup::TeamAndStage => query
            .column(Alias::new("team_id"))
            .add_group_by([Expr::cust("team_id"), Expr::cust("stage_id")]),
    };
    query
}

/// Lists the open deals of the pipeline that sat in their stage longer than their team's p90
/// for it, are past their expected close date, or had no activity within `stale_after`.
/// Returns at most `limit` of them, largest amount first, and how many there are in all.
async fn stalled_deals(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    pipeline_id: Uuid,
    p90: &HashMap<(Option<Uuid>, Uuid), i64>,
    rules: StallRules,
) -> Result<(Vec<StalledDeal>, u64), RepoError> {
    let backend = db.get_database_backend();
    let mut over_p90 = Condition::any();
    for ((team_id, stage_id), seconds) in p90 {
        let entered_before = rules.now - Duration::seconds(*seconds);
        let team = match team_id {
            Some(team_id) => deal::Column::TeamId.eq(*team_id),
            None => deal::Column::TeamId.is_null(),
        };
        over_p90 = over_p90.add(
            Condition::all()
                .add(team)
                .add(deal::Column::StageId.eq(*stage_id))
                .add(deal::Column::StageChangedAt.lt(entered_before)),
        );
    }
    if p90.is_empty() {
        over_p90 = over_p90.add(Expr::cust("1 = 0"));
    }
    let past_close = Condition::all().add(deal::Column::ExpectedCloseDate.lt(rules.today));
    let last_activity = || {
        Expr::from(
            Query::select()
                .expr(Func::max(Expr::col((
                    Alias::new("a"),
                    activity::Column::OccurredAt,
                ))))
                .from_as(activity::Entity, Alias::new("a"))
                .and_where(Expr::cust("a.org_id = deals.org_id"))
                .and_where(Expr::cust("a.deal_id = deals.id"))
                .and_where(Expr::col((Alias::new("a"), activity::Column::DeletedAt)).is_null())
                .and_where(
                    Expr::col((Alias::new("a"), activity::Column::OccurredAt)).lte(rules.now),
                )
                .to_owned(),
        )
    };
    let stale = Condition::all().add(
        Func::coalesce([
            last_activity(),
            Expr::col((deal::Entity, deal::Column::CreatedAt)),
        ])
        .lt(rules.now - rules.stale_after),
    );
    let flag = |condition: Condition| Expr::case(condition, 1).finally(0);

    let mut base_query = Query::select();
    base_query
        .from(deal::Entity)
        .join(
            JoinType::InnerJoin,
            stage::Entity,
            Expr::col((stage::Entity, stage::Column::Id))
                .equals((deal::Entity, deal::Column::StageId)),
        )
        .cond_where(
            deal_condition(scope, filter)
                .add(deal::Column::PipelineId.eq(pipeline_id))
                .add(Expr::cust("stages.kind = 'open'"))
                .add(
                    Condition::any()
                        .add(over_p90.clone())
                        .add(past_close.clone())
                        .add(stale.clone()),
                ),
        );

    let mut total = base_query.clone();
    total.expr_as(Expr::cust("COUNT(*)"), Alias::new("deals"));
    let stalled_count = match db.query_one(&total).await? {
        Some(row) => count(&row, "deals")?,
        None => 0,
    };

    let approximate_amount = match backend {
        DbBackend::Postgres => {
            "COALESCE(CAST(deals.amount_e4 AS DOUBLE PRECISION) * CAST(deals.exchange_rate AS DOUBLE PRECISION), -1)"
        }
        _ => "COALESCE(CAST(deals.amount_e4 AS REAL) * CAST(deals.exchange_rate AS REAL), -1)",
    };
    let mut listed = base_query;
    listed
        .expr_as(Expr::cust("deals.id"), Alias::new("id"))
        .expr_as(Expr::cust("deals.name"), Alias::new("name"))
        .expr_as(Expr::cust("deals.owner_id"), Alias::new("owner_id"))
        .expr_as(Expr::cust("deals.team_id"), Alias::new("team_id"))
        .expr_as(Expr::cust("deals.stage_id"), Alias::new("stage_id"))
        .expr_as(Expr::cust("stages.name"), Alias::new("stage_name"))
        .expr_as(Expr::cust("deals.amount_e4"), Alias::new("amount_e4"))
        .expr_as(Expr::cust("deals.currency"), Alias::new("currency"))
        .expr_as(Expr::cust(reports::RATE_SQL), Alias::new("rate"))
        .expr_as(
            Expr::cust("deals.expected_close_date"),
            Alias::new("expected_close_date"),
        )
        .expr_as(
            Expr::cust("deals.stage_changed_at"),
            Alias::new("stage_changed_at"),
        )
        .expr_as(last_activity(), Alias::new("last_activity_at"))
        .expr_as(flag(over_p90), Alias::new("over_p90"))
        .expr_as(flag(past_close), Alias::new("past_close"))
        .expr_as(flag(stale), Alias::new("stale"))
        .order_by_expr(Expr::cust(approximate_amount), Order::Desc)
        .order_by((deal::Entity, deal::Column::Id), Order::Asc)
        .limit(rules.limit);

    let mut stalled = Vec::new();
    for row in db.query_all(&listed).await? {
        let amount_e4: Option<i64> = row.try_get("", "amount_e4")?;
        let amount = match amount_e4 {
            Some(amount_e4) => Some(reports::convert_row_sum(
                &row,
                rules.base,
                amount_e4.into(),
            )?),
            None => None,
        };
        let team_id: Option<Uuid> = row.try_get("", "team_id")?;
        let stage_id: Uuid = row.try_get("", "stage_id")?;
        let flag =
            |column: &str| -> Result<bool, RepoError> { Ok(row.try_get::<i32>("", column)? == 1) };
        stalled.push(StalledDeal {
            deal_id: row.try_get("", "id")?,
            name: row.try_get("", "name")?,
            owner_id: row.try_get("", "owner_id")?,
            stage_id,
            stage_name: row.try_get("", "stage_name")?,
            amount,
            stage_changed_at: row.try_get("", "stage_changed_at")?,
            stage_p90_seconds: p90.get(&(team_id, stage_id)).copied(),
            expected_close_date: row.try_get("", "expected_close_date")?,
            last_activity_at: row.try_get("", "last_activity_at")?,
            over_stage_p90: flag("over_p90")?,
            past_expected_close: flag("past_close")?,
            no_recent_activity: flag("stale")?,
        });
    }
    Ok((stalled, stalled_count))
}

/// Seconds as days, to two places.
pub fn seconds_to_days(seconds: i64) -> Decimal {
    math::average_days(seconds, SECONDS_PER_DAY.unsigned_abs()).unwrap_or_default()
}
