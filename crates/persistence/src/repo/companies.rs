//! Companies: the organizations a team sells to.

use domain::{Money, Scope};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, Set,
};
use serde_json::Value as Json;
use time::PrimitiveDateTime;
use uuid::Uuid;

use super::{check_reference, check_version, find_live, set_optional, update_versioned, users};
use crate::RepoError;
use crate::changes::{self, ChangeKind};
use crate::entities::company::{ActiveModel, Column, Entity, Model};
use crate::list::{ListOptions, Page, contains_text, fetch_page, like_pattern, parse_sort};
use crate::tenant::visible;

/// The fields of a new company.
#[derive(Debug, Clone, Default)]
pub struct NewCompany {
    pub name: String,
    pub industry: Option<String>,
    pub country: Option<String>,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub annual_revenue: Option<Money>,
    pub employees: Option<i64>,
    pub year_established: Option<i32>,
    pub parent_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
}

/// A partial update: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct CompanyChanges {
    pub name: Option<String>,
    pub industry: Option<Option<String>>,
    pub country: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub annual_revenue: Option<Option<Money>>,
    pub employees: Option<Option<i64>>,
    pub year_established: Option<Option<i32>>,
    pub parent_id: Option<Option<Uuid>>,
    pub owner_id: Option<Option<Uuid>>,
}

/// Filters of the company list.
#[derive(Debug, Clone, Default)]
pub struct CompanyFilter {
    pub q: Option<String>,
    pub industry: Option<String>,
    pub country: Option<String>,
    pub owner_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub updated_since: Option<PrimitiveDateTime>,
}

/// The fields a company list may sort by.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("name", Column::Name),
    ("industry", Column::Industry),
    ("country", Column::Country),
    ("employees", Column::Employees),
    ("annual_revenue", Column::AnnualRevenueE4),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
];

/// The sort applied when a request names none.
pub const DEFAULT_SORT: &str = "name";

fn phone_key(phone: &Option<String>) -> Option<String> {
    phone
        .as_deref()
        .map(domain::contact::phone_key)
        .filter(|key| !key.is_empty())
}

async fn check_references<C: sea_orm::ConnectionTrait>(
    db: &C,
    scope: &Scope,
    parent_id: Option<Uuid>,
    owner_id: Option<Uuid>,
) -> Result<(), RepoError> {
    check_reference::<Entity, C>(db, scope, "parent_id", parent_id).await?;
    users::check_member(db, scope, "owner_id", owner_id).await
}

/// Inserts a company and its change event.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewCompany,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    check_references(&txn, scope, new.parent_id, new.owner_id).await?;
    let now = domain::time::now_utc();
    let model = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        phone_key: Set(phone_key(&new.phone)),
        annual_revenue_e4: Set(new.annual_revenue.map(|money| money.stored_amount())),
        revenue_currency: Set(new
            .annual_revenue
            .map(|money| money.currency().code().to_owned())),
        name: Set(new.name),
        industry: Set(new.industry),
        country: Set(new.country),
        website: Set(new.website),
        phone: Set(new.phone),
        employees: Set(new.employees),
        year_established: Set(new.year_established),
        parent_id: Set(new.parent_id),
        owner_id: Set(new.owner_id),
    }
    .insert(&txn)
    .await?;
    changes::record(
        &txn,
        scope,
        "company",
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Reads one live company.
pub async fn get(db: &DatabaseConnection, scope: &Scope, id: Uuid) -> Result<Model, RepoError> {
    find_live::<Entity, _>(db, scope, id).await
}

/// Applies a partial update at the client's expected version, returning the row before and
/// after the change.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    changes: CompanyChanges,
    describe: impl Fn(&Model) -> Json,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    let current = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version("company", expected, current.version)?;
    if changes.parent_id == Some(Some(id)) {
        return Err(RepoError::invalid(
            "parent_id",
            "self_reference",
            "a company cannot be its own parent: pass another company's id or null",
        ));
    }
    check_references(
        &txn,
        scope,
        changes.parent_id.flatten(),
        changes.owner_id.flatten(),
    )
    .await?;

    let mut active = <ActiveModel as ActiveModelTrait>::default();
    if let Some(name) = changes.name {
        active.name = Set(name);
    }
    if let Some(phone) = changes.phone {
        active.phone_key = Set(phone_key(&phone));
        active.phone = Set(phone);
    }
    if let Some(revenue) = changes.annual_revenue {
        active.annual_revenue_e4 = Set(revenue.map(|money| money.stored_amount()));
        active.revenue_currency = Set(revenue.map(|money| money.currency().code().to_owned()));
    }
    set_optional(&mut active.industry, changes.industry);
    set_optional(&mut active.country, changes.country);
    set_optional(&mut active.website, changes.website);
    set_optional(&mut active.employees, changes.employees);
    set_optional(&mut active.year_established, changes.year_established);
    set_optional(&mut active.parent_id, changes.parent_id);
    set_optional(&mut active.owner_id, changes.owner_id);

    let updated = update_versioned::<Entity, _>(&txn, scope, id, current.version, active).await?;
    let diff = changes::diff(&describe(&current), &describe(&updated));
    changes::record(&txn, scope, "company", id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Lists companies visible to `scope`.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: CompanyFilter,
    options: &ListOptions,
) -> Result<Page<Model>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    let mut condition = visible::<Entity>(scope);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        let mut any = Condition::any()
            .add(contains_text(Column::Name, &pattern))
            .add(contains_text(Column::Website, &pattern));
        let digits = domain::contact::phone_key(q);
        if digits.len() >= 3 {
            any = any.add(Column::PhoneKey.like(format!("%{digits}%")));
        }
        condition = condition.add(any);
    }
    if let Some(industry) = filter.industry {
        condition = condition.add(Column::Industry.eq(industry));
    }
    if let Some(country) = filter.country {
        condition = condition.add(Column::Country.eq(country));
    }
    if let Some(owner_id) = filter.owner_id {
        condition = condition.add(Column::OwnerId.eq(owner_id));
    }
    if let Some(parent_id) = filter.parent_id {
        condition = condition.add(Column::ParentId.eq(parent_id));
    }
    if let Some(since) = filter.updated_since {
        condition = condition.add(Column::UpdatedAt.gte(since));
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
