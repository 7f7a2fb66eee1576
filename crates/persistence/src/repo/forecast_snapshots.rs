//! Forecast snapshots and forecast accuracy.
//!
//! A snapshot stores the open pipeline as it stood at the start of one day, grouped by
//! pipeline, owner, team and expected close month, already converted into the base currency.
//! The accuracy report compares, for each past month, the latest snapshot taken on or before
//! its first day with what was won in it.

use std::collections::BTreeMap;

use domain::report::{self as math};
use domain::scope::Visibility;
use domain::{Currency, Role, Scope};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, JoinType, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
};
use time::{Date, PrimitiveDateTime};
use uuid::Uuid;

use super::reports::{
    self, ReportFilter, Tally, converted_amount, count, month_sql, select_money_group,
};
use crate::RepoError;
use crate::entities::forecast_snapshot::{ActiveModel, Column, Entity};
use crate::entities::{deal, organization, stage};

/// Open deals, amount and weighted amount expected to close in one month, in the base
/// currency, unrounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forecast {
    pub open_count: u64,
    pub open_amount: Decimal,
    pub weighted_amount: Decimal,
}

/// One past month: the forecast made at its start, if a snapshot existed, and what was won.
#[derive(Debug, Clone)]
pub struct MonthAccuracy {
    /// The first day of the month.
    pub month: Date,
    pub snapshot_on: Option<Date>,
    pub forecast: Option<Forecast>,
    pub won: Tally,
}

/// Takes a snapshot of one organization's open pipeline as it stood at `cut`, stores it
/// under `taken_on`, and replaces a snapshot stored under the same day. Runs in one transaction, so a
/// snapshot is stored whole or not at all. Returns the rows stored.
pub async fn take(
    db: &DatabaseConnection,
    org_id: Uuid,
    taken_on: Date,
    cut: PrimitiveDateTime,
) -> Result<u64, RepoError> {
    let scope = Scope::organization(org_id, Uuid::nil(), Role::Owner);
    let base = reports::organization_settings(db, &scope)
        .await?
        .base_currency;
    let backend = db.get_database_backend();

    // The stage each deal was in at `cut`: the target of its last transition before it.
    let stage_then = Query::select()
        .column((Alias::new("t"), Alias::new("to_stage_id")))
        .from_as(Alias::new("stage_transitions"), Alias::new("t"))
        .and_where(Expr::cust("t.org_id = deals.org_id"))
        .and_where(Expr::cust("t.deal_id = deals.id"))
        .and_where(Expr::col((Alias::new("t"), Alias::new("at"))).lt(cut))
        .order_by((Alias::new("t"), Alias::new("at")), sea_orm::Order::Desc)
        .order_by((Alias::new("t"), Alias::new("id")), sea_orm::Order::Desc)
        .limit(1)
        .to_owned();
    let mut query = Query::select();
    query
        .from(deal::Entity)
        .join(
            JoinType::InnerJoin,
            stage::Entity,
            Expr::col((stage::Entity, stage::Column::Id)).eq(Expr::from(stage_then)),
        )
        .and_where(deal::Column::OrgId.eq(org_id))
        .and_where(deal::Column::DeletedAt.is_null())
        .and_where(deal::Column::ExpectedCloseDate.is_not_null())
        .and_where(deal::Column::CreatedAt.lt(cut))
        .and_where(Expr::cust("stages.kind = 'open'"))
        .expr_as(Expr::cust("deals.pipeline_id"), Alias::new("pipeline_id"))
        .expr_as(Expr::cust("deals.owner_id"), Alias::new("owner_id"))
        .expr_as(Expr::cust("deals.team_id"), Alias::new("team_id"))
        .expr_as(
            Expr::cust(month_sql(backend, "deals.expected_close_date")),
            Alias::new("month"),
        )
        .expr_as(Expr::cust("stages.probability"), Alias::new("probability"))
        .add_group_by([
            Expr::cust("deals.pipeline_id"),
            Expr::cust("deals.owner_id"),
            Expr::cust("deals.team_id"),
            Expr::cust("month"),
            Expr::cust("probability"),
        ]);
    select_money_group(&mut query);

    type Key = (Uuid, Option<Uuid>, Option<Uuid>, String);
    let mut groups: BTreeMap<Key, Forecast> = BTreeMap::new();
    for row in db.query_all(&query).await? {
        let amount = converted_amount(&row, base)?;
        let probability: i32 = row.try_get("", "probability")?;
        let key = (
            row.try_get("", "pipeline_id")?,
            row.try_get("", "owner_id")?,
            row.try_get("", "team_id")?,
            row.try_get::<Option<String>>("", "month")?
                .unwrap_or_default(),
        );
        let forecast = groups.entry(key).or_default();
        forecast.open_count += count(&row, "deals")?;
        forecast.open_amount += amount;
        forecast.weighted_amount += amount * Decimal::from(probability) / Decimal::ONE_HUNDRED;
    }

    let now = domain::time::now_utc();
    let txn = crate::begin_write(db).await?;
    Entity::delete_many()
        .filter(Column::OrgId.eq(org_id))
        .filter(Column::TakenOn.eq(taken_on))
        .exec(&txn)
        .await?;
    let stored = groups.len() as u64;
    let rows: Vec<ActiveModel> = groups
        .into_iter()
        .map(|((pipeline_id, owner_id, team_id, month), forecast)| {
            Ok(ActiveModel {
                id: Set(domain::id::new_id()),
                org_id: Set(org_id),
                taken_on: Set(taken_on),
                created_at: Set(now),
                pipeline_id: Set(pipeline_id),
                owner_id: Set(owner_id),
                team_id: Set(team_id),
                month: Set(month),
                open_count: Set(i64::try_from(forecast.open_count).unwrap_or(i64::MAX)),
                open_amount_e4: Set(to_e4(forecast.open_amount)?),
                weighted_amount_e4: Set(to_e4(forecast.weighted_amount)?),
                currency: Set(base.code().to_owned()),
            })
        })
        .collect::<Result<_, RepoError>>()?;
    for batch in rows.chunks(500) {
        Entity::insert_many(batch.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(stored)
}

/// Converts an amount into ten-thousandths, rounding half away from zero.
fn to_e4(amount: Decimal) -> Result<i64, RepoError> {
    (amount * Decimal::from(10_000))
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .ok_or_else(|| {
            RepoError::Database(sea_orm::DbErr::Custom(format!(
                "forecast amount {amount} does not fit in 64 bits"
            )))
        })
}

/// Checks whether the organization has a snapshot stored under `taken_on`.
pub async fn exists(
    db: &DatabaseConnection,
    org_id: Uuid,
    taken_on: Date,
) -> Result<bool, RepoError> {
    let found = Entity::find()
        .filter(Column::OrgId.eq(org_id))
        .filter(Column::TakenOn.eq(taken_on))
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// Lists every organization's id and time zone, for the daily snapshot.
pub async fn organizations(db: &DatabaseConnection) -> Result<Vec<(Uuid, String)>, RepoError> {
    Ok(organization::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|organization| (organization.id, organization.time_zone))
        .collect())
}

/// Compares forecast with actual for each month whose first day is in `months`, under the
/// pipeline, owner and team of `filter` and the visibility of `scope`.
pub async fn accuracy(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: &ReportFilter,
    months: &[Date],
    base: Currency,
) -> Result<Vec<MonthAccuracy>, RepoError> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(Vec::new());
    };

    let days: Vec<Date> = Entity::find()
        .select_only()
        .column(Column::TakenOn)
        .distinct()
        .filter(Column::OrgId.eq(scope.org_id))
        .filter(Column::TakenOn.lte(*last))
        .into_tuple()
        .all(db)
        .await?;
    let snapshot_for = |month: Date| days.iter().filter(|day| **day <= month).max().copied();

    let mut chosen = Condition::any();
    let mut any_chosen = false;
    for month in months {
        if let Some(day) = snapshot_for(*month) {
            chosen = chosen.add(
                Condition::all()
                    .add(Column::TakenOn.eq(day))
                    .add(Column::Month.eq(math::month_key(*month))),
            );
            any_chosen = true;
        }
    }
    let mut forecasts: BTreeMap<(Date, String), Forecast> = BTreeMap::new();
    if any_chosen {
        let mut condition = Condition::all()
            .add(Column::OrgId.eq(scope.org_id))
            .add(chosen);
        if let Some(pipeline_id) = filter.pipeline_id {
            condition = condition.add(Column::PipelineId.eq(pipeline_id));
        }
        if let Some(owner_id) = filter.owner_id {
            condition = condition.add(Column::OwnerId.eq(owner_id));
        }
        if let Some(team_id) = filter.team_id {
            condition = condition.add(Column::TeamId.eq(team_id));
        }
        if scope.visibility == Visibility::Own {
            condition = condition.add(Column::OwnerId.eq(scope.user_id));
        }
        let sum = |column: Column| Func::cast_as(Func::sum(Expr::col(column)), "BIGINT");
        let query = Query::select()
            .column(Column::TakenOn)
            .column(Column::Month)
            .column(Column::Currency)
            .expr_as(sum(Column::OpenCount), Alias::new("open_count"))
            .expr_as(sum(Column::OpenAmountE4), Alias::new("open_amount_e4"))
            .expr_as(
                sum(Column::WeightedAmountE4),
                Alias::new("weighted_amount_e4"),
            )
            .from(Entity)
            .cond_where(condition)
            .group_by_columns([Column::TakenOn, Column::Month, Column::Currency])
            .to_owned();
        for row in db.query_all(&query).await? {
            let currency: String = row.try_get("", "currency")?;
            if currency != base.code() {
                // NOTE: a snapshot taken before the base currency changed is skipped, because
                // it has no rates to convert it with.
                continue;
            }
            let amount = |column: &str| -> Result<Decimal, RepoError> {
                let e4: Option<i64> = row.try_get("", column)?;
                Ok(math::convert_sum(e4.unwrap_or(0).into(), Decimal::ONE).unwrap_or_default())
            };
            let open_count: Option<i64> = row.try_get("", "open_count")?;
            let forecast = Forecast {
                open_count: u64::try_from(open_count.unwrap_or(0)).unwrap_or(0),
                open_amount: amount("open_amount_e4")?,
                weighted_amount: amount("weighted_amount_e4")?,
            };
            forecasts.insert(
                (row.try_get("", "taken_on")?, row.try_get("", "month")?),
                forecast,
            );
        }
    }

    let won_filter = ReportFilter {
        from: Some(*first),
        to: Some(math::PeriodKind::Month.period_end(*last)),
        ..filter.clone()
    };
    let won = reports::won_by_month(db, scope, &won_filter, base).await?;
    let rows = months
        .iter()
        .map(|month| {
            let key = math::month_key(*month);
            let snapshot_on = snapshot_for(*month);
            MonthAccuracy {
                month: *month,
                forecast: snapshot_on.map(|day| {
                    forecasts
                        .get(&(day, key.clone()))
                        .copied()
                        .unwrap_or_default()
                }),
                snapshot_on,
                won: won.get(&key).copied().unwrap_or_default(),
            }
        })
        .collect();
    Ok(rows)
}

/// Takes today's snapshot, in each organization's time zone, for every organization that has
/// none yet. Returns how many snapshots were taken.
pub async fn take_daily(db: &DatabaseConnection) -> Result<u64, RepoError> {
    let now = domain::time::now_utc();
    let mut snapshots = 0;
    for (org_id, time_zone) in organizations(db).await? {
        let zone = math::Zone::parse(&time_zone)
            .or_else(|_| math::Zone::parse("UTC"))
            .map_err(|error| RepoError::Database(sea_orm::DbErr::Custom(error.to_string())))?;
        let today = zone.today();
        if exists(db, org_id, today).await? {
            continue;
        }
        take(db, org_id, today, now).await?;
        snapshots += 1;
    }
    Ok(snapshots)
}
