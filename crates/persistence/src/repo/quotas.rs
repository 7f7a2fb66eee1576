//! Quotas: sales targets of one member or one team for a month or a quarter.

use domain::report::PeriodKind;
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
use super::{check_reference, check_version, find_live, update_versioned, users};
use crate::changes::{self, ChangeKind};
use crate::entities::quota::{ActiveModel, Column, Entity, Model};
use crate::entities::team;
use crate::list::{ListOptions, Page, fetch_page, parse_sort};
use crate::tenant::visible;
use crate::{FieldError, RepoError};

/// Whom a quota is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaHolder {
    User(Uuid),
    Team(Uuid),
}

impl QuotaHolder {
    fn columns(self) -> (Option<Uuid>, Option<Uuid>) {
        match self {
            QuotaHolder::User(id) => (Some(id), None),
            QuotaHolder::Team(id) => (None, Some(id)),
        }
    }
}

/// The fields of a new quota. The target is in the organization's base currency.
#[derive(Debug, Clone)]
pub struct NewQuota {
    pub holder: QuotaHolder,
    pub period_kind: PeriodKind,
    /// The first day of the month or quarter.
    pub period_start: Date,
    pub target: Money,
}

/// A partial update: `None` leaves a field alone. A new holder replaces the old one.
#[derive(Debug, Clone, Default)]
pub struct QuotaChanges {
    pub holder: Option<QuotaHolder>,
    pub period_kind: Option<PeriodKind>,
    pub period_start: Option<Date>,
    pub target: Option<Money>,
}

/// Filters of the quota list.
#[derive(Debug, Clone, Default)]
pub struct QuotaFilter {
    pub user_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub period_kind: Option<PeriodKind>,
    /// Only quotas whose period starts within `[starts_from, starts_to]`.
    pub starts_from: Option<Date>,
    pub starts_to: Option<Date>,
}

/// The fields a quota list may sort by.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("period_start", Column::PeriodStart),
    ("target", Column::TargetE4),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
];

/// The sort applied when a request names none.
pub const DEFAULT_SORT: &str = "-period_start";

/// Rejects a period start that is not the first day of a period of `kind`.
fn check_period_start(kind: PeriodKind, start: Date) -> Result<(), RepoError> {
    if kind.is_period_start(start) {
        return Ok(());
    }
    let expected = match kind {
        PeriodKind::Month => "the first day of a month",
        PeriodKind::Quarter => "1 January, 1 April, 1 July or 1 October",
    };
    Err(RepoError::Invalid(vec![FieldError::new(
        "period_start",
        "not_period_start",
        format!(
            "period_start {start} does not begin a {}: pass {expected}",
            kind.as_str()
        ),
    )]))
}

async fn check_holder<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    holder: QuotaHolder,
) -> Result<(), RepoError> {
    match holder {
        QuotaHolder::User(id) => users::check_member(db, scope, "user_id", Some(id)).await,
        QuotaHolder::Team(id) => {
            check_reference::<team::Entity, C>(db, scope, "team_id", Some(id)).await
        }
    }
}

/// Rejects a second live quota for the same holder, period kind and period start, which
/// would count the holder's deals twice. A partial unique index catches the same pair when
/// two requests race past this check.
async fn check_unique<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    (user_id, team_id): (Option<Uuid>, Option<Uuid>),
    kind: PeriodKind,
    start: Date,
    except: Option<Uuid>,
) -> Result<(), RepoError> {
    let mut query = Entity::find()
        .filter(Column::OrgId.eq(scope.org_id))
        .filter(Column::DeletedAt.is_null())
        .filter(Column::PeriodKind.eq(kind.as_str()))
        .filter(Column::PeriodStart.eq(start));
    query = match (user_id, team_id) {
        (Some(user_id), _) => query.filter(Column::UserId.eq(user_id)),
        (None, team_id) => query.filter(Column::TeamId.eq(team_id)),
    };
    if let Some(except) = except {
        query = query.filter(Column::Id.ne(except));
    }
    let Some(existing) = query.one(db).await? else {
        return Ok(());
    };
    Err(RepoError::Conflict {
        code: "duplicate_quota",
        message: format!(
            "quota {} already sets the {} target starting {start} for this holder: change that quota instead",
            existing.id,
            kind.as_str()
        ),
    })
}

/// Inserts a quota and its change event.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewQuota,
) -> Result<Model, RepoError> {
    check_period_start(new.period_kind, new.period_start)?;
    let txn = crate::begin_write(db).await?;
    check_holder(&txn, scope, new.holder).await?;
    check_base_currency(&txn, scope, "target", new.target.currency()).await?;
    let (user_id, team_id) = new.holder.columns();
    check_unique(
        &txn,
        scope,
        (user_id, team_id),
        new.period_kind,
        new.period_start,
        None,
    )
    .await?;
    let now = domain::time::now_utc();
    let model = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        user_id: Set(user_id),
        team_id: Set(team_id),
        period_kind: Set(new.period_kind.as_str().to_owned()),
        period_start: Set(new.period_start),
        target_e4: Set(new.target.stored_amount()),
        currency: Set(new.target.currency().code().to_owned()),
    }
    .insert(&txn)
    .await?;
    changes::record(
        &txn,
        scope,
        "quota",
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Reads one live quota.
pub async fn get(db: &DatabaseConnection, scope: &Scope, id: Uuid) -> Result<Model, RepoError> {
    find_live::<Entity, _>(db, scope, id).await
}

/// Applies a partial update at the client's expected version and returns the stored row.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    changes: QuotaChanges,
    describe: impl Fn(&Model) -> Json,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    let current = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version("quota", expected, current.version)?;
    let stored_kind = PeriodKind::parse(&current.period_kind).unwrap_or(PeriodKind::Month);
    let kind = changes.period_kind.unwrap_or(stored_kind);
    let start = changes.period_start.unwrap_or(current.period_start);
    check_period_start(kind, start)?;
    let holder = changes
        .holder
        .map(QuotaHolder::columns)
        .unwrap_or((current.user_id, current.team_id));
    check_unique(&txn, scope, holder, kind, start, Some(id)).await?;
    if let Some(holder) = changes.holder {
        check_holder(&txn, scope, holder).await?;
    }
    if let Some(target) = &changes.target {
        check_base_currency(&txn, scope, "target", target.currency()).await?;
    }

    let mut active = <ActiveModel as ActiveModelTrait>::default();
    if let Some(holder) = changes.holder {
        let (user_id, team_id) = holder.columns();
        active.user_id = Set(user_id);
        active.team_id = Set(team_id);
    }
    if let Some(target) = changes.target {
        active.target_e4 = Set(target.stored_amount());
        active.currency = Set(target.currency().code().to_owned());
    }
    set_optional(
        &mut active.period_kind,
        changes.period_kind.map(|kind| kind.as_str().to_owned()),
    );
    set_optional(&mut active.period_start, changes.period_start);

    let updated = update_versioned::<Entity, _>(&txn, scope, id, current.version, active).await?;
    let diff = changes::diff(&describe(&current), &describe(&updated));
    changes::record(&txn, scope, "quota", id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Lists quotas visible to `scope`.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: QuotaFilter,
    options: &ListOptions,
) -> Result<Page<Model>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    let mut condition = visible::<Entity>(scope);
    if let Some(user_id) = filter.user_id {
        condition = condition.add(Column::UserId.eq(user_id));
    }
    if let Some(team_id) = filter.team_id {
        condition = condition.add(Column::TeamId.eq(team_id));
    }
    if let Some(kind) = filter.period_kind {
        condition = condition.add(Column::PeriodKind.eq(kind.as_str()));
    }
    if let Some(from) = filter.starts_from {
        condition = condition.add(Column::PeriodStart.gte(from));
    }
    if let Some(to) = filter.starts_to {
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
