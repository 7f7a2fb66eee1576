//! Sales reports: grouped aggregates over deals, stage transitions, activities, campaigns and
//! quotas, computed in the database.
//!
//! Every query groups by currency and exchange rate as well as by its report key, so the
//! database returns one exact sum per rate and Rust converts each sum into the organization's
//! base currency with `rust_decimal` (see [`domain::report::convert_sum`]). No query loads
//! deal rows into the server.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use domain::report::{self as math, PeriodKind, Zone};
use domain::role::Role;
use domain::{Currency, Scope, StageKind};
use rust_decimal::Decimal;
use sea_orm::sea_query::{
    Alias, Condition, Expr, ExprTrait, Func, JoinType, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryResult,
};
use time::{Date, PrimitiveDateTime};
use uuid::Uuid;

use crate::RepoError;
use crate::entities::{
    activity, campaign, deal, line_item, membership, organization, pipeline, product, quota, stage,
    stage_transition, team, user,
};
use crate::tenant::visible;

/// Ten-thousandths per currency unit, the scale of stored amounts.
const E4_PER_UNIT: i64 = 10_000;

/// The rate that converts a deal's amount into the base currency: the rate at close for a
/// closed deal, else the rate at creation.
pub(super) const RATE_SQL: &str = "CASE WHEN stages.kind = 'open' THEN deals.exchange_rate \
     ELSE COALESCE(deals.close_exchange_rate, deals.exchange_rate) END";

/// The organization's base currency and default time zone.
#[derive(Debug, Clone)]
pub struct OrganizationSettings {
    pub base_currency: Currency,
    pub time_zone: String,
}

/// Reads the base currency and time zone of the scope's organization.
pub async fn organization_settings<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
) -> Result<OrganizationSettings, RepoError> {
    let organization = organization::Entity::find_by_id(scope.org_id)
        .one(db)
        .await?
        .ok_or(RepoError::NotFound {
            entity: "organization",
        })?;
    Ok(OrganizationSettings {
        base_currency: Currency::parse(&organization.base_currency).unwrap_or(Currency::USD),
        time_zone: organization.time_zone,
    })
}

/// Rejects an amount of `field` that is not in the organization's base currency. Campaign
/// costs and quota targets carry no exchange rate, so they must be in the base currency.
pub async fn check_base_currency<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    field: &str,
    currency: Currency,
) -> Result<(), RepoError> {
    let base = organization_settings(db, scope).await?.base_currency;
    if currency == base {
        return Ok(());
    }
    Err(RepoError::invalid(
        format!("{field}.currency"),
        "not_base_currency",
        format!(
            "{field} is in {} but must be in the organization's base currency {}: convert it to {}",
            currency.code(),
            base.code(),
            base.code()
        ),
    ))
}

/// Filters shared by every report. `from` and `to` are inclusive calendar dates.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub pipeline_id: Option<Uuid>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub region: Option<String>,
    pub product_line: Option<String>,
    pub customer_type: Option<String>,
    pub source: Option<String>,
}

/// Which deals a period filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PeriodRule {
    /// Open deals as they are now, plus deals closed within the period.
    OpenOrClosed,
    /// Only deals closed (won or lost) within the period.
    Closed,
    /// Only open deals with an expected close date within the period.
    OpenExpected,
}

/// What a segment report groups deals by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Owner,
    Team,
    Region,
    CustomerType,
    Source,
    Channel,
    ProductLine,
    /// The month of `closed_on`, as `YYYY-MM`.
    CloseMonth,
    /// All deals in one segment keyed `None`.
    Whole,
    WinLossReason,
    Competitor,
}

impl Dimension {
    fn key_sql(self, backend: DbBackend) -> String {
        match self {
            Dimension::Owner => "deals.owner_id".to_owned(),
            Dimension::Team => "deals.team_id".to_owned(),
            Dimension::Region => "deals.region".to_owned(),
            Dimension::CustomerType => "deals.customer_type".to_owned(),
            Dimension::Source => "deals.source".to_owned(),
            // Channels are typed by hand on deals and campaigns, so `Email` and `email ` match.
            Dimension::Channel => "LOWER(TRIM(deals.channel))".to_owned(),
            Dimension::ProductLine => "deal_lines.product_line".to_owned(),
            Dimension::Whole => "NULL".to_owned(),
            Dimension::CloseMonth => month_sql(backend, "deals.closed_on"),
            Dimension::WinLossReason => "deals.win_loss_reason".to_owned(),
            Dimension::Competitor => "deals.competitor".to_owned(),
        }
    }

    fn is_id(self) -> bool {
        matches!(self, Dimension::Owner | Dimension::Team)
    }

    /// Tells whether one deal can fall into several segments, so the segments add up to more than
    /// the whole.
    pub fn overlaps(self) -> bool {
        self == Dimension::ProductLine
    }

    /// Joins what the segment key needs beside deals and stages: for product lines, the
    /// distinct lines of each deal's line items as `deal_lines`, once per line.
    fn join(self, query: &mut SelectStatement, org_id: Uuid) {
        if self != Dimension::ProductLine {
            return;
        }
        let deal_lines = Query::select()
            .distinct()
            .column((line_item::Entity, line_item::Column::OrgId))
            .column((line_item::Entity, line_item::Column::DealId))
            .column((product::Entity, product::Column::ProductLine))
            .from(line_item::Entity)
            .join(
                JoinType::InnerJoin,
                product::Entity,
                Expr::col((product::Entity, product::Column::Id))
                    .equals((line_item::Entity, line_item::Column::ProductId)),
            )
            .and_where(Expr::col((line_item::Entity, line_item::Column::OrgId)).eq(org_id))
            .to_owned();
        query.join_subquery(
            JoinType::LeftJoin,
            deal_lines,
            Alias::new("deal_lines"),
            Condition::all()
                .add(Expr::cust("deal_lines.org_id = deals.org_id"))
                .add(Expr::cust("deal_lines.deal_id = deals.id")),
        );
    }
}

/// The value a segment is keyed by: an id for owners and teams, else text. `None` collects
/// the deals without a value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SegmentKey {
    Id(Option<Uuid>),
    Text(Option<String>),
}

/// A count of deals and their amount in the base currency, unrounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u64,
    pub amount: Decimal,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.count += other.count;
        self.amount += other.amount;
    }
}

/// The deals of one segment by outcome, with the sales cycle of the won ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SegmentFigures {
    pub open: Tally,
    pub won: Tally,
    pub lost: Tally,
    /// Sum and count of the days from engagement (or creation) to close of won deals that
    /// have a close date.
    pub won_cycle_days_sum: i64,
    pub won_cycle_days_count: u64,
}

impl SegmentFigures {
    /// Adds another segment's figures into these.
    pub fn add(&mut self, other: &SegmentFigures) {
        self.open.add(other.open);
        self.won.add(other.won);
        self.lost.add(other.lost);
        self.won_cycle_days_sum += other.won_cycle_days_sum;
        self.won_cycle_days_count += other.won_cycle_days_count;
    }

    /// Won ÷ closed, or `None` without closed deals.
    pub fn win_rate(&self) -> Option<Decimal> {
        math::rate(self.won.count, self.won.count + self.lost.count)
    }

    /// The mean days from engagement to close of won deals.
    pub fn average_cycle_days(&self) -> Option<Decimal> {
        math::average_days(self.won_cycle_days_sum, self.won_cycle_days_count)
    }

    /// The won amount divided by the number of won deals.
    pub fn average_deal_size(&self) -> Option<Decimal> {
        match self.won.count {
            0 => None,
            count => Some(self.won.amount / Decimal::from(count)),
        }
    }
}

/// One segment of a report with its figures.
#[derive(Debug, Clone)]
pub struct Segment {
    pub key: SegmentKey,
    pub figures: SegmentFigures,
}

/// A segment report: segments sorted by key, and the figures of all of them together.
#[derive(Debug, Clone)]
pub struct SegmentReport {
    pub base_currency: Currency,
    pub segments: Vec<Segment>,
    pub totals: SegmentFigures,
}

pub(super) fn month_sql(backend: DbBackend, column: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("to_char({column}, 'YYYY-MM')"),
        _ => format!("strftime('%Y-%m', {column})"),
    }
}

/// Whole days from engagement, or creation when a deal has no engagement date, to close.
/// Both are calendar dates, so no time zone applies.
fn cycle_days_sql(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => {
            "(deals.closed_on - COALESCE(deals.engaged_on, CAST(deals.created_at AS DATE)))"
        }
        _ => {
            "CAST(julianday(deals.closed_on) - julianday(COALESCE(deals.engaged_on, date(deals.created_at))) AS INTEGER)"
        }
    }
}

/// `CAST(SUM(expr) AS BIGINT)`: PostgreSQL sums `bigint` into `numeric`, which would not
/// decode as `i64`.
fn sum_as_bigint(expr: Expr) -> Expr {
    Func::cast_as(Func::sum(expr), "BIGINT").into()
}

/// Adds the two partial sums of `amount_e4` that [`join_sum`] combines. Summing whole units
/// and the remainder apart keeps each sum far from the 64-bit limit, which SQLite would
/// otherwise fail the query on.
fn select_amount_sums(query: &mut SelectStatement) {
    let amount = || Expr::col((deal::Entity, deal::Column::AmountE4));
    query
        .expr_as(
            sum_as_bigint(amount().div(E4_PER_UNIT)),
            Alias::new("whole_units"),
        )
        .expr_as(
            sum_as_bigint(amount().modulo(E4_PER_UNIT)),
            Alias::new("rest_e4"),
        );
}

/// Rebuilds a sum of ten-thousandths from its whole units and remainder. Both databases
/// truncate integer division toward zero, so the parts add up for negative amounts too.
fn join_sum(whole_units: Option<i64>, rest_e4: Option<i64>) -> i128 {
    i128::from(whole_units.unwrap_or(0)) * i128::from(E4_PER_UNIT)
        + i128::from(rest_e4.unwrap_or(0))
}

fn invalid_data(message: String) -> RepoError {
    RepoError::Database(DbErr::Custom(message))
}

/// Converts the amount sums of one grouped row into the base currency.
pub(super) fn converted_amount(row: &QueryResult, base: Currency) -> Result<Decimal, RepoError> {
    let whole: Option<i64> = row.try_get("", "whole_units")?;
    let rest: Option<i64> = row.try_get("", "rest_e4")?;
    convert_row_sum(row, base, join_sum(whole, rest))
}

/// Converts `sum_e4`, in the `currency` of `row` at its `rate`, into the base currency.
pub(super) fn convert_row_sum(
    row: &QueryResult,
    base: Currency,
    sum_e4: i128,
) -> Result<Decimal, RepoError> {
    let currency: String = row.try_get("", "currency")?;
    let rate_text: String = row.try_get("", "rate")?;
    let rate = match currency == base.code() {
        true => Decimal::ONE,
        false => Decimal::from_str(rate_text.trim()).map_err(|error| {
            invalid_data(format!(
                "stored exchange rate {rate_text:?} is invalid: {error}"
            ))
        })?,
    };
    math::convert_sum(sum_e4, rate).ok_or_else(|| {
        invalid_data(format!(
            "a sum in {currency} at rate {rate} overflows a decimal"
        ))
    })
}

pub(super) fn count(row: &QueryResult, column: &str) -> Result<u64, RepoError> {
    let value: i64 = row.try_get("", column)?;
    Ok(u64::try_from(value).unwrap_or(0))
}

/// The condition on deals of every report: visible to `scope`, not deleted, and matching
/// `filter` apart from its period.
pub(super) fn deal_condition(scope: &Scope, filter: &ReportFilter) -> Condition {
    let mut condition = visible::<deal::Entity>(scope).add(deal::Column::DeletedAt.is_null());
    let ids = [
        (deal::Column::PipelineId, filter.pipeline_id),
        (deal::Column::OwnerId, filter.owner_id),
        (deal::Column::TeamId, filter.team_id),
    ];
    for (column, id) in ids {
        if let Some(id) = id {
            condition = condition.add(column.eq(id));
        }
    }
    let texts = [
        (deal::Column::Region, &filter.region),
        (deal::Column::CustomerType, &filter.customer_type),
        (deal::Column::Source, &filter.source),
    ];
    for (column, text) in texts {
        if let Some(text) = text {
            condition = condition.add(column.eq(text.clone()));
        }
    }
    if let Some(line) = &filter.product_line {
        condition = condition.add(Expr::exists(
            Query::select()
                .expr(Expr::cust("1"))
                .from(line_item::Entity)
                .join(
                    JoinType::InnerJoin,
                    product::Entity,
                    Expr::col((product::Entity, product::Column::Id))
                        .equals((line_item::Entity, line_item::Column::ProductId)),
                )
                .and_where(Expr::cust("line_items.org_id = deals.org_id"))
                .and_where(Expr::cust("line_items.deal_id = deals.id"))
                .and_where(
                    Expr::col((product::Entity, product::Column::ProductLine)).eq(line.clone()),
                )
                .to_owned(),
        ));
    }
    condition
}

fn closed_within(filter: &ReportFilter) -> Condition {
    let closed_on = || Expr::col((deal::Entity, deal::Column::ClosedOn));
    let mut condition = Condition::all().add(Expr::cust("stages.kind <> 'open'"));
    if let Some(from) = filter.from {
        condition = condition.add(closed_on().gte(from));
    }
    if let Some(to) = filter.to {
        condition = condition.add(closed_on().lte(to));
    }
    condition
}

fn period_condition(filter: &ReportFilter, rule: PeriodRule) -> Condition {
    match rule {
        PeriodRule::Closed => closed_within(filter),
        PeriodRule::OpenOrClosed => Condition::any()
            .add(Expr::cust("stages.kind = 'open'"))
            .add(closed_within(filter)),
        PeriodRule::OpenExpected => {
            let expected = || Expr::col((deal::Entity, deal::Column::ExpectedCloseDate));
            let mut condition = Condition::all().add(Expr::cust("stages.kind = 'open'"));
            if let Some(from) = filter.from {
                condition = condition.add(expected().gte(from));
            }
            if let Some(to) = filter.to {
                condition = condition.add(expected().lte(to));
            }
            condition
        }
    }
}

/// `FROM deals JOIN stages` with the deal condition and the period rule applied.
fn deals_with_stage(scope: &Scope, filter: &ReportFilter, rule: PeriodRule) -> SelectStatement {
    Query::select()
        .from(deal::Entity)
        .join(
            JoinType::InnerJoin,
            stage::Entity,
            Expr::col((stage::Entity, stage::Column::Id))
                .equals((deal::Entity, deal::Column::StageId)),
        )
        .cond_where(deal_condition(scope, filter))
        .cond_where(period_condition(filter, rule))
        .to_owned()
}

fn read_key(row: &QueryResult, dimension: Dimension) -> Result<SegmentKey, RepoError> {
    Ok(match dimension.is_id() {
        true => SegmentKey::Id(row.try_get("", "segment")?),
        false => SegmentKey::Text(row.try_get("", "segment")?),
    })
}

/// Groups the deals visible to `scope` by `dimension`: open deals as they are now, and deals
/// closed within the filter's period.
pub async fn segments(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    dimension: Dimension,
    base: Currency,
) -> Result<SegmentReport, RepoError> {
    let mut by_key = segment_figures(db, scope, filter, dimension, base).await?;
    if !dimension.overlaps() {
        return Ok(into_report(base, by_key));
    }
    let whole = segment_figures(db, scope, filter, Dimension::Whole, base).await?;
    let totals = whole.into_values().next().unwrap_or_default();
    let segments = std::mem::take(&mut by_key)
        .into_iter()
        .map(|(key, figures)| Segment { key, figures })
        .collect();
    Ok(SegmentReport {
        base_currency: base,
        segments,
        totals,
    })
}

async fn segment_figures(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    dimension: Dimension,
    base: Currency,
) -> Result<BTreeMap<SegmentKey, SegmentFigures>, RepoError> {
    let backend = db.get_database_backend();
    let mut query = deals_with_stage(scope, filter, PeriodRule::OpenOrClosed);
    dimension.join(&mut query, scope.org_id);
    query
        .expr_as(
            Expr::cust(dimension.key_sql(backend)),
            Alias::new("segment"),
        )
        .expr_as(Expr::cust("stages.kind"), Alias::new("kind"))
        .expr_as(Expr::cust("deals.currency"), Alias::new("currency"))
        .expr_as(Expr::cust(RATE_SQL), Alias::new("rate"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("deals"))
        .expr_as(
            sum_as_bigint(Expr::cust(cycle_days_sql(backend))),
            Alias::new("cycle_days_sum"),
        )
        .expr_as(
            Func::count(Expr::cust(cycle_days_sql(backend))),
            Alias::new("cycle_days_count"),
        );
    select_amount_sums(&mut query);
    query.add_group_by([
        Expr::cust("segment"),
        Expr::cust("kind"),
        Expr::cust("currency"),
        Expr::cust("rate"),
    ]);

    let mut by_key: BTreeMap<SegmentKey, SegmentFigures> = BTreeMap::new();
    for row in db.query_all(&query).await? {
        let key = read_key(&row, dimension)?;
        let kind: String = row.try_get("", "kind")?;
        let tally = Tally {
            count: count(&row, "deals")?,
            amount: converted_amount(&row, base)?,
        };
        let figures = by_key.entry(key).or_default();
        match StageKind::parse(&kind) {
            Some(StageKind::Won) => {
                figures.won.add(tally);
                let days: Option<i64> = row.try_get("", "cycle_days_sum")?;
                figures.won_cycle_days_sum += days.unwrap_or(0);
                figures.won_cycle_days_count += count(&row, "cycle_days_count")?;
            }
            Some(StageKind::Lost) => figures.lost.add(tally),
            _ => figures.open.add(tally),
        }
    }
    Ok(by_key)
}

fn into_report(base: Currency, by_key: BTreeMap<SegmentKey, SegmentFigures>) -> SegmentReport {
    let mut totals = SegmentFigures::default();
    let segments = by_key
        .into_iter()
        .map(|(key, figures)| {
            totals.add(&figures);
            Segment { key, figures }
        })
        .collect();
    SegmentReport {
        base_currency: base,
        segments,
        totals,
    }
}

/// The histogram of sales-cycle days of won deals closed within the period, per segment:
/// `(days, deals)` pairs from which a median is exact without loading deals.
pub async fn cycle_histograms(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    dimension: Dimension,
) -> Result<HashMap<SegmentKey, Vec<(i64, u64)>>, RepoError> {
    let backend = db.get_database_backend();
    let mut query = deals_with_stage(scope, filter, PeriodRule::Closed);
    dimension.join(&mut query, scope.org_id);
    query
        .and_where(Expr::cust("stages.kind = 'won'"))
        .and_where(Expr::cust(format!(
            "{} IS NOT NULL",
            cycle_days_sql(backend)
        )))
        .expr_as(
            Expr::cust(dimension.key_sql(backend)),
            Alias::new("segment"),
        )
        .expr_as(
            Func::cast_as(Expr::cust(cycle_days_sql(backend)), "BIGINT"),
            Alias::new("days"),
        )
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("deals"))
        .add_group_by([Expr::cust("segment"), Expr::cust("days")]);
    let mut histograms: HashMap<SegmentKey, Vec<(i64, u64)>> = HashMap::new();
    for row in db.query_all(&query).await? {
        let days: i64 = row.try_get("", "days")?;
        histograms
            .entry(read_key(&row, dimension)?)
            .or_default()
            .push((days, count(&row, "deals")?));
    }
    Ok(histograms)
}

/// Activities per owner logged within `[start, end)`, and per team of the owner.
#[derive(Debug, Clone, Default)]
pub struct ActivityCounts {
    pub by_user: HashMap<Uuid, u64>,
    pub by_team: HashMap<Uuid, u64>,
    pub total: u64,
}

/// Counts the activities visible to `scope` that occurred within `[start, end)` (UTC
/// instants), per owner, and per team through the owner's membership.
pub async fn activity_counts(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    start: Option<PrimitiveDateTime>,
    end: Option<PrimitiveDateTime>,
) -> Result<ActivityCounts, RepoError> {
    let occurred = || Expr::col((activity::Entity, activity::Column::OccurredAt));
    let mut condition =
        visible::<activity::Entity>(scope).add(activity::Column::DeletedAt.is_null());
    if let Some(start) = start {
        condition = condition.add(occurred().gte(start));
    }
    if let Some(end) = end {
        condition = condition.add(occurred().lt(end));
    }
    if let Some(owner_id) = filter.owner_id {
        condition = condition.add(activity::Column::OwnerId.eq(owner_id));
    }
    let query = Query::select()
        .expr_as(Expr::cust("activities.owner_id"), Alias::new("owner_id"))
        .expr_as(Expr::cust("memberships.team_id"), Alias::new("team_id"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("activities"))
        .from(activity::Entity)
        .join(
            JoinType::LeftJoin,
            membership::Entity,
            Condition::all()
                .add(
                    Expr::col((membership::Entity, membership::Column::UserId))
                        .equals((activity::Entity, activity::Column::OwnerId)),
                )
                .add(
                    Expr::col((membership::Entity, membership::Column::OrgId))
                        .equals((activity::Entity, activity::Column::OrgId)),
                ),
        )
        .cond_where(condition)
        .add_group_by([
            Expr::cust("activities.owner_id"),
            Expr::cust("memberships.team_id"),
        ])
        .to_owned();
    let mut counts = ActivityCounts::default();
    for row in db.query_all(&query).await? {
        let owner: Option<Uuid> = row.try_get("", "owner_id")?;
        let team: Option<Uuid> = row.try_get("", "team_id")?;
        let activities = count(&row, "activities")?;
        if filter.team_id.is_some() && team != filter.team_id {
            continue;
        }
        counts.total += activities;
        if let Some(owner) = owner {
            *counts.by_user.entry(owner).or_default() += activities;
        }
        if let Some(team) = team {
            *counts.by_team.entry(team).or_default() += activities;
        }
    }
    Ok(counts)
}

/// The names of the given users and teams of the scope's organization.
pub async fn names(
    db: &DatabaseConnection,
    scope: &Scope,
    user_ids: Vec<Uuid>,
    team_ids: Vec<Uuid>,
) -> Result<(HashMap<Uuid, String>, HashMap<Uuid, String>), RepoError> {
    let members = Query::select()
        .column(membership::Column::UserId)
        .from(membership::Entity)
        .and_where(Expr::col(membership::Column::OrgId).eq(scope.org_id))
        .to_owned();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .filter(user::Column::Id.in_subquery(members))
        .all(db)
        .await?
        .into_iter()
        .map(|user| (user.id, user.name))
        .collect();
    let teams = team::Entity::find()
        .filter(team::Column::OrgId.eq(scope.org_id))
        .filter(team::Column::Id.is_in(team_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|team| (team.id, team.name))
        .collect();
    Ok((users, teams))
}

/// Deals that entered one stage within the period, and how many of them moved on.
#[derive(Debug, Clone)]
pub struct FunnelStage {
    pub stage: stage::Model,
    pub flow: math::StageFlow,
}

/// The funnel of one pipeline: its stages in order, open stages first, then won, then lost.
#[derive(Debug, Clone)]
pub struct Funnel {
    pub pipeline: pipeline::Model,
    pub stages: Vec<FunnelStage>,
}

/// Counts, per stage of a pipeline, the deals that entered it within `[start, end)` (UTC
/// instants) and how many of those later moved on to a later open stage or a won stage. A
/// move to a lost stage, or no move at all, is a drop-off.
pub async fn funnel(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    pipeline_id: Uuid,
    start: Option<PrimitiveDateTime>,
    end: Option<PrimitiveDateTime>,
) -> Result<Funnel, RepoError> {
    let pipeline = super::find_live::<pipeline::Entity, _>(db, scope, pipeline_id).await?;
    let mut stages = stage::Entity::find()
        .filter(stage::Column::OrgId.eq(scope.org_id))
        .filter(stage::Column::PipelineId.eq(pipeline_id))
        .filter(stage::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    stages.sort_by_key(|stage| (funnel_order(&stage.kind), stage.position));

    let query = funnel_query(scope, filter, pipeline_id, start, end);
    let mut flows: HashMap<Uuid, (u64, u64)> = HashMap::new();
    for row in db.query_all(&query).await? {
        let stage_id: Uuid = row.try_get("", "stage_id")?;
        flows.insert(
            stage_id,
            (count(&row, "entered")?, count(&row, "moved_on")?),
        );
    }
    let stages = stages
        .into_iter()
        .map(|stage| {
            let (entered, moved_on) = flows.get(&stage.id).copied().unwrap_or((0, 0));
            let flow = math::StageFlow {
                entered,
                moved_on,
                outcome: funnel_order(&stage.kind) > 0,
            };
            FunnelStage { flow, stage }
        })
        .collect();
    Ok(Funnel { pipeline, stages })
}

fn funnel_order(kind: &str) -> u8 {
    match StageKind::parse(kind) {
        Some(StageKind::Open) | None => 0,
        Some(StageKind::Won) => 1,
        Some(StageKind::Lost) => 2,
    }
}

/// `entered` counts distinct deals with a transition into the stage within the period;
/// `moved_on` those of them with a later transition out of it into a forward stage.
fn funnel_query(
    scope: &Scope,
    filter: &ReportFilter,
    pipeline_id: Uuid,
    start: Option<PrimitiveDateTime>,
    end: Option<PrimitiveDateTime>,
) -> SelectStatement {
    let entered = Alias::new("t");
    let next = Alias::new("n");
    let at = || Expr::col((Alias::new("t"), stage_transition::Column::At));
    let mut condition = deal_condition(scope, filter)
        .add(Expr::col((Alias::new("t"), stage_transition::Column::OrgId)).eq(scope.org_id))
        .add(deal::Column::PipelineId.eq(pipeline_id));
    if let Some(start) = start {
        condition = condition.add(at().gte(start));
    }
    if let Some(end) = end {
        condition = condition.add(at().lt(end));
    }
    Query::select()
        .expr_as(Expr::cust("t.to_stage_id"), Alias::new("stage_id"))
        .expr_as(Expr::cust("COUNT(DISTINCT t.deal_id)"), Alias::new("entered"))
        .expr_as(
            Expr::cust("COUNT(DISTINCT CASE WHEN forward.id IS NOT NULL THEN t.deal_id END)"),
            Alias::new("moved_on"),
        )
        .from_as(stage_transition::Entity, entered)
        .join(
            JoinType::InnerJoin,
            deal::Entity,
            Condition::all()
                .add(Expr::cust("deals.id = t.deal_id"))
                .add(Expr::cust("deals.org_id = t.org_id")),
        )
        .join_as(
            JoinType::InnerJoin,
            stage::Entity,
            Alias::new("entered_stage"),
            Expr::cust("entered_stage.id = t.to_stage_id"),
        )
        .join_as(
            JoinType::LeftJoin,
            stage_transition::Entity,
            next,
            Condition::all()
                .add(Expr::cust("n.org_id = t.org_id"))
                .add(Expr::cust("n.deal_id = t.deal_id"))
                .add(Expr::cust("n.from_stage_id = t.to_stage_id"))
                .add(Expr::cust("n.at >= t.at")),
        )
        .join_as(
            JoinType::LeftJoin,
            stage::Entity,
            Alias::new("forward"),
            Condition::all()
                .add(Expr::cust("forward.id = n.to_stage_id"))
                .add(Expr::cust(
                    "(forward.kind = 'won' OR (forward.kind = 'open' AND forward.position > entered_stage.position))",
                )),
        )
        .cond_where(condition)
        .add_group_by([Expr::cust("t.to_stage_id")])
        .to_owned()
}

/// Open deals expected to close in one month, and the deals won in that month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForecastMonth {
    pub open_count: u64,
    /// Open amount in the base currency, unrounded.
    pub open_amount: Decimal,
    /// Open amount weighted by each stage's win probability.
    pub weighted_amount: Decimal,
    pub won_count: u64,
    pub won_amount: Decimal,
}

/// Open pipeline by expected close month (`YYYY-MM`) with raw and probability-weighted
/// amounts, beside what was won in each month. Open deals without an expected close date are
/// keyed `None`.
pub async fn forecast(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    base: Currency,
) -> Result<BTreeMap<Option<String>, ForecastMonth>, RepoError> {
    let backend = db.get_database_backend();
    let mut months: BTreeMap<Option<String>, ForecastMonth> = BTreeMap::new();

    let mut open = deals_with_stage(scope, filter, PeriodRule::OpenExpected);
    open.expr_as(
        Expr::cust(month_sql(backend, "deals.expected_close_date")),
        Alias::new("month"),
    )
    .expr_as(Expr::cust("stages.probability"), Alias::new("probability"));
    select_money_group(&mut open);
    open.add_group_by([Expr::cust("month"), Expr::cust("probability")]);
    for row in db.query_all(&open).await? {
        let month: Option<String> = row.try_get("", "month")?;
        let probability: i32 = row.try_get("", "probability")?;
        let amount = converted_amount(&row, base)?;
        let entry = months.entry(month).or_default();
        entry.open_count += count(&row, "deals")?;
        entry.open_amount += amount;
        entry.weighted_amount += amount * Decimal::from(probability) / Decimal::ONE_HUNDRED;
    }

    for (month, won) in won_by_month(db, scope, filter, base).await? {
        let entry = months.entry(Some(month)).or_default();
        entry.won_count += won.count;
        entry.won_amount += won.amount;
    }
    Ok(months)
}

/// Sums the deals won within the filter's period per month (`YYYY-MM`) of their close date.
pub(super) async fn won_by_month(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    base: Currency,
) -> Result<BTreeMap<String, Tally>, RepoError> {
    let backend = db.get_database_backend();
    let mut won = deals_with_stage(scope, filter, PeriodRule::Closed);
    won.and_where(Expr::cust("stages.kind = 'won'")).expr_as(
        Expr::cust(month_sql(backend, "deals.closed_on")),
        Alias::new("month"),
    );
    select_money_group(&mut won);
    won.add_group_by([Expr::cust("month")]);
    let mut months: BTreeMap<String, Tally> = BTreeMap::new();
    for row in db.query_all(&won).await? {
        let month: Option<String> = row.try_get("", "month")?;
        months
            .entry(month.unwrap_or_default())
            .or_default()
            .add(Tally {
                count: count(&row, "deals")?,
                amount: converted_amount(&row, base)?,
            });
    }
    Ok(months)
}

/// Selects the deal count, currency, rate and amount sums, grouped by currency and rate.
pub(super) fn select_money_group(query: &mut SelectStatement) {
    query
        .expr_as(Expr::cust("deals.currency"), Alias::new("currency"))
        .expr_as(Expr::cust(RATE_SQL), Alias::new("rate"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("deals"));
    select_amount_sums(query);
    query.add_group_by([Expr::cust("currency"), Expr::cust("rate")]);
}

/// Campaign cost per channel (lower case, trimmed) in the base currency. A campaign that
/// only partly overlaps the filter's period counts with the share of its cost that falls on
/// the overlapping days.
pub async fn campaign_costs(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    base: Currency,
) -> Result<BTreeMap<String, Decimal>, RepoError> {
    let mut condition =
        visible::<campaign::Entity>(scope).add(campaign::Column::DeletedAt.is_null());
    if let Some(from) = filter.from {
        condition = condition.add(campaign::Column::PeriodEnd.gte(from));
    }
    if let Some(to) = filter.to {
        condition = condition.add(campaign::Column::PeriodStart.lte(to));
    }
    let cost = prorated_cost_sql(db.get_database_backend(), filter.from, filter.to);
    let query = Query::select()
        .expr_as(
            Expr::cust("LOWER(TRIM(campaigns.channel))"),
            Alias::new("channel"),
        )
        .column(campaign::Column::Currency)
        .expr_as(
            Func::cast_as(Func::sum(Expr::cust(cost)), "BIGINT"),
            Alias::new("cost_e4"),
        )
        .from(campaign::Entity)
        .cond_where(condition)
        .add_group_by([Expr::cust("channel"), Expr::cust("campaigns.currency")])
        .to_owned();
    let mut costs = BTreeMap::new();
    for row in db.query_all(&query).await? {
        let channel: String = row.try_get("", "channel")?;
        let currency: String = row.try_get("", "currency")?;
        if currency != base.code() {
            return Err(invalid_data(format!(
                "campaign cost in {currency} cannot be added to base currency {}",
                base.code()
            )));
        }
        let cost_e4: Option<i64> = row.try_get("", "cost_e4")?;
        let amount =
            math::convert_sum(cost_e4.unwrap_or(0).into(), Decimal::ONE).unwrap_or_default();
        *costs.entry(channel).or_insert(Decimal::ZERO) += amount;
    }
    Ok(costs)
}

/// Builds the SQL for the cost of one campaign in ten-thousandths that falls within `[from, to]`: the whole
/// cost times the overlapping days over the campaign's days, truncated to a ten-thousandth.
/// The bounds are typed dates, so writing them into the SQL text is safe.
fn prorated_cost_sql(backend: DbBackend, from: Option<Date>, to: Option<Date>) -> String {
    let (start, end) = ("campaigns.period_start", "campaigns.period_end");
    let (overlap_start, overlap_end) = match backend {
        DbBackend::Postgres => (
            from.map_or(start.to_owned(), |from| {
                format!("GREATEST({start}, DATE '{from}')")
            }),
            to.map_or(end.to_owned(), |to| format!("LEAST({end}, DATE '{to}')")),
        ),
        _ => (
            from.map_or(start.to_owned(), |from| format!("MAX({start}, '{from}')")),
            to.map_or(end.to_owned(), |to| format!("MIN({end}, '{to}')")),
        ),
    };
    let days = |first: &str, last: &str| match backend {
        DbBackend::Postgres => format!("({last} - {first} + 1)"),
        _ => format!("(CAST(julianday({last}) - julianday({first}) AS INTEGER) + 1)"),
    };
    format!(
        "campaigns.cost_e4 * {} / {}",
        days(&overlap_start, &overlap_end),
        days(start, end)
    )
}

/// One quota with the amount won towards it so far.
#[derive(Debug, Clone)]
pub struct QuotaProgress {
    pub quota: quota::Model,
    pub period_end: Date,
    /// Won in the base currency by the quota's user or team within its period, unrounded.
    pub won_amount: Decimal,
    pub won_count: u64,
}

/// The quotas visible to `scope` whose periods overlap the filter's period, each with the
/// deals won by its holder within its period. A rep sees only their own quotas and those of
/// their teams. Runs one query for the quotas and one grouped query for the won deals.
pub async fn quota_progress(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    base: Currency,
) -> Result<Vec<QuotaProgress>, RepoError> {
    let quotas = visible_quotas(db, scope, filter).await?;
    let (Some(first), Some(last)) = (
        quotas.iter().map(|quota| quota.period_start).min(),
        quotas.iter().map(period_end).max(),
    ) else {
        return Ok(Vec::new());
    };

    let backend = db.get_database_backend();
    let won_filter = ReportFilter {
        from: Some(first),
        to: Some(last),
        owner_id: None,
        team_id: None,
        ..filter.clone()
    };
    let mut query = deals_with_stage(scope, &won_filter, PeriodRule::Closed);
    query
        .and_where(Expr::cust("stages.kind = 'won'"))
        .expr_as(Expr::cust("deals.owner_id"), Alias::new("owner_id"))
        .expr_as(Expr::cust("deals.team_id"), Alias::new("team_id"))
        .expr_as(
            Expr::cust(month_sql(backend, "deals.closed_on")),
            Alias::new("month"),
        )
        .add_group_by([
            Expr::cust("owner_id"),
            Expr::cust("team_id"),
            Expr::cust("month"),
        ]);
    select_money_group(&mut query);
    let mut won: Vec<(Option<Uuid>, Option<Uuid>, String, Tally)> = Vec::new();
    for row in db.query_all(&query).await? {
        won.push((
            row.try_get("", "owner_id")?,
            row.try_get("", "team_id")?,
            row.try_get::<Option<String>>("", "month")?
                .unwrap_or_default(),
            Tally {
                count: count(&row, "deals")?,
                amount: converted_amount(&row, base)?,
            },
        ));
    }

    let progress = quotas
        .into_iter()
        .map(|quota| {
            let end = period_end(&quota);
            let (start_month, end_month) =
                (math::month_key(quota.period_start), math::month_key(end));
            let mut total = Tally::default();
            for (owner, team, month, tally) in &won {
                let holder_matches = match (quota.user_id, quota.team_id) {
                    (Some(user), _) => *owner == Some(user),
                    (None, Some(team_id)) => *team == Some(team_id),
                    (None, None) => false,
                };
                if holder_matches && *month >= start_month && *month <= end_month {
                    total.add(*tally);
                }
            }
            QuotaProgress {
                quota,
                period_end: end,
                won_amount: total.amount,
                won_count: total.count,
            }
        })
        .collect();
    Ok(progress)
}

fn period_end(quota: &quota::Model) -> Date {
    PeriodKind::parse(&quota.period_kind)
        .unwrap_or(PeriodKind::Month)
        .period_end(quota.period_start)
}

async fn visible_quotas(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
) -> Result<Vec<quota::Model>, RepoError> {
    let mut condition = visible::<quota::Entity>(scope).add(quota::Column::DeletedAt.is_null());
    if let Some(to) = filter.to {
        condition = condition.add(quota::Column::PeriodStart.lte(to));
    }
    if let Some(from) = filter.from {
        // A quarter that starts up to two months before `from` still overlaps it.
        let earliest = from
            .replace_day(1)
            .ok()
            .and_then(|first| first.checked_sub(time::Duration::days(62)))
            .unwrap_or(from);
        condition = condition.add(quota::Column::PeriodStart.gte(earliest));
    }
    if let Some(owner_id) = filter.owner_id {
        condition = condition.add(quota::Column::UserId.eq(owner_id));
    }
    if let Some(team_id) = filter.team_id {
        condition = condition.add(quota::Column::TeamId.eq(team_id));
    }
    if scope.role == Role::Rep {
        condition = condition.add(
            Condition::any()
                .add(quota::Column::UserId.eq(scope.user_id))
                .add(quota::Column::TeamId.is_in(scope.team_ids.clone())),
        );
    }
    let quotas = quota::Entity::find().filter(condition).all(db).await?;
    Ok(quotas
        .into_iter()
        .filter(|quota| filter.from.is_none_or(|from| period_end(quota) >= from))
        .collect())
}

/// Parses the report's time zone, or the organization's when `requested` is `None`.
pub fn report_zone(
    requested: Option<&str>,
    settings: &OrganizationSettings,
) -> Result<Zone, RepoError> {
    let name = requested.unwrap_or(&settings.time_zone);
    Zone::parse(name)
        .map_err(|error| RepoError::invalid("time_zone", "unknown_time_zone", error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_sum_rebuilds_negative_parts() {
        // -1.5 + 3.25 = 1.75: (-1 + 3) units and (-5000 + 2500) ten-thousandths.
        assert_eq!(join_sum(Some(2), Some(-2500)), 17_500);
        assert_eq!(join_sum(None, None), 0);
    }
}
