//! Campaigns: marketing spend on one channel over a period, the cost side of channel ROI.

use domain::{Money, Scope};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::Value as Json;
use time::Date;
use uuid::Uuid;

use super::reports::check_base_currency;
use super::set_optional;
use super::{check_version, find_live, update_versioned};
use crate::changes::{self, ChangeKind};
use crate::entities::campaign::{ActiveModel, Column, Entity, Model};
use crate::list::{ListOptions, Page, contains_text, fetch_page, like_pattern, parse_sort};
use crate::tenant::visible;
use crate::{FieldError, RepoError};

/// The fields of a new campaign. The cost is in the organization's base currency.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub name: String,
    pub channel: String,
    pub period_start: Date,
    pub period_end: Date,
    pub cost: Money,
}

/// A partial update: `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct CampaignChanges {
    pub name: Option<String>,
    pub channel: Option<String>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub cost: Option<Money>,
}

/// Filters of the campaign list.
#[derive(Debug, Clone, Default)]
pub struct CampaignFilter {
    /// Text to find in the name, ignoring case.
    pub q: Option<String>,
    pub channel: Option<String>,
    /// Only campaigns whose period overlaps `[active_from, active_to]`.
    pub active_from: Option<Date>,
    pub active_to: Option<Date>,
}

/// The fields a campaign list may sort by.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("name", Column::Name),
    ("channel", Column::Channel),
    ("period_start", Column::PeriodStart),
    ("period_end", Column::PeriodEnd),
    ("cost", Column::CostE4),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
];

/// The sort applied when a request names none.
pub const DEFAULT_SORT: &str = "-period_start";

fn check_period(start: Date, end: Date) -> Result<(), RepoError> {
    match start <= end {
        true => Ok(()),
        false => Err(RepoError::Invalid(vec![FieldError::new(
            "period_end",
            "before_start",
            format!("period_end {end} is before period_start {start}: pass a later end date"),
        )])),
    }
}

async fn check_cost<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    cost: Option<&Money>,
) -> Result<(), RepoError> {
    match cost {
        Some(cost) => check_base_currency(db, scope, "cost", cost.currency()).await,
        None => Ok(()),
    }
}

/// Inserts a campaign and its change event.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewCampaign,
) -> Result<Model, RepoError> {
    check_period(new.period_start, new.period_end)?;
    let txn = crate::begin_write(db).await?;
    check_cost(&txn, scope, Some(&new.cost)).await?;
    let now = domain::time::now_utc();
    let model = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        name: Set(new.name),
        channel: Set(new.channel),
        period_start: Set(new.period_start),
        period_end: Set(new.period_end),
        cost_e4: Set(new.cost.stored_amount()),
        currency: Set(new.cost.currency().code().to_owned()),
    }
    .insert(&txn)
    .await?;
    changes::record(
        &txn,
        scope,
        "campaign",
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Reads one live campaign.
pub async fn get(db: &DatabaseConnection, scope: &Scope, id: Uuid) -> Result<Model, RepoError> {
    find_live::<Entity, _>(db, scope, id).await
}

/// Applies a partial update at the client's expected version and returns the stored row.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    changes: CampaignChanges,
    describe: impl Fn(&Model) -> Json,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    let current = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version("campaign", expected, current.version)?;
    check_period(
        changes.period_start.unwrap_or(current.period_start),
        changes.period_end.unwrap_or(current.period_end),
    )?;
    check_cost(&txn, scope, changes.cost.as_ref()).await?;

    let mut active = <ActiveModel as ActiveModelTrait>::default();
    if let Some(cost) = changes.cost {
        active.cost_e4 = Set(cost.stored_amount());
        active.currency = Set(cost.currency().code().to_owned());
    }
    set_optional(&mut active.name, changes.name);
    set_optional(&mut active.channel, changes.channel);
    set_optional(&mut active.period_start, changes.period_start);
    set_optional(&mut active.period_end, changes.period_end);

    let updated = update_versioned::<Entity, _>(&txn, scope, id, current.version, active).await?;
    let diff = changes::diff(&describe(&current), &describe(&updated));
    changes::record(&txn, scope, "campaign", id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Lists campaigns visible to `scope`.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: CampaignFilter,
    options: &ListOptions,
) -> Result<Page<Model>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    let mut condition = visible::<Entity>(scope);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        condition = condition.add(contains_text(Column::Name, &like_pattern(q)));
    }
    if let Some(channel) = filter.channel {
        condition = condition.add(Column::Channel.eq(channel));
    }
    if let Some(from) = filter.active_from {
        condition = condition.add(Column::PeriodEnd.gte(from));
    }
    if let Some(to) = filter.active_to {
        condition = condition.add(Column::PeriodStart.lte(to));
    }
    fetch_page(
        db,
        Entity::find().filter(condition),
        sort_text,
        &sort,
        options,
    )
    .await
}
