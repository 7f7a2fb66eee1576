//! Teams: groups of members with a manager and a sales region.

use domain::Scope;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::Value as Json;
use time::PrimitiveDateTime;
use uuid::Uuid;

use super::mark_deleted;
use super::set_optional;
use super::{check_version, find_live, update_versioned, users};
use crate::RepoError;
use crate::changes::{self, ChangeKind};
use crate::entities::membership;
use crate::entities::team::{ActiveModel, Column, Entity, Model};
use crate::list::{ListOptions, Page, contains_text, fetch_page, like_pattern, parse_sort};
use crate::tenant::{TenantEntity, visible};

/// The fields of a new team.
#[derive(Debug, Clone, Default)]
pub struct NewTeam {
    pub name: String,
    /// User id of the member who manages the team.
    pub manager_id: Option<Uuid>,
    pub region: Option<String>,
}

/// A partial update: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct TeamChanges {
    pub name: Option<String>,
    pub manager_id: Option<Option<Uuid>>,
    pub region: Option<Option<String>>,
}

/// Filters of the team list.
#[derive(Debug, Clone, Default)]
pub struct TeamFilter {
    /// Text to find in the name.
    pub q: Option<String>,
    pub region: Option<String>,
    pub manager_id: Option<Uuid>,
    pub updated_since: Option<PrimitiveDateTime>,
}

/// The fields a team list may sort by.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("name", Column::Name),
    ("region", Column::Region),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
];

/// The sort applied when a request names none.
pub const DEFAULT_SORT: &str = "name";

/// Rejects a name that another live team of the organization has, ignoring case.
async fn check_name_free<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    name: &str,
    except: Option<Uuid>,
) -> Result<(), RepoError> {
    // Organizations have few teams, so comparing in Rust is cheap, and it folds non-ASCII
    // case the same way on both databases (SQLite's LOWER folds ASCII only).
    let existing: Vec<(Uuid, String)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Name)
        .filter(visible::<Entity>(scope))
        .filter(Column::DeletedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let folded_name = name.to_lowercase();
    let name_in_use = existing
        .iter()
        .any(|(id, other)| Some(*id) != except && other.to_lowercase() == folded_name);
    match name_in_use {
        true => Err(RepoError::Conflict {
            code: "team_name_taken",
            message: format!("a team named {name:?} already exists: choose another name"),
        }),
        false => Ok(()),
    }
}

/// Inserts a team and its change event.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewTeam,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    check_name_free(&txn, scope, &new.name, None).await?;
    users::check_member(&txn, scope, "manager_id", new.manager_id).await?;
    let now = domain::time::now_utc();
    let model = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        name: Set(new.name),
        manager_id: Set(new.manager_id),
        region: Set(new.region),
    }
    .insert(&txn)
    .await?;
    changes::record(
        &txn,
        scope,
        Entity::NAME,
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Reads one live team.
pub async fn get(db: &DatabaseConnection, scope: &Scope, id: Uuid) -> Result<Model, RepoError> {
    find_live::<Entity, _>(db, scope, id).await
}

/// Applies a partial update at the client's expected version.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    changes: TeamChanges,
    describe: impl Fn(&Model) -> Json,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    let current = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version(Entity::NAME, expected, current.version)?;
    if let Some(name) = &changes.name {
        check_name_free(&txn, scope, name, Some(id)).await?;
    }
    users::check_member(&txn, scope, "manager_id", changes.manager_id.flatten()).await?;

    let mut active = <ActiveModel as ActiveModelTrait>::default();
    set_optional(&mut active.name, changes.name);
    set_optional(&mut active.manager_id, changes.manager_id);
    set_optional(&mut active.region, changes.region);
    let updated = update_versioned::<Entity, _>(&txn, scope, id, current.version, active).await?;
    let diff = changes::diff(&describe(&current), &describe(&updated));
    changes::record(&txn, scope, Entity::NAME, id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Soft-deletes a team at the client's expected version. A team that still has live
/// members is a conflict, so no member is left in a deleted team.
pub async fn delete(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
) -> Result<(), RepoError> {
    let txn = crate::begin_write(db).await?;
    let team = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version(Entity::NAME, expected, team.version)?;
    let members = membership::Entity::find()
        .filter(membership::Column::OrgId.eq(scope.org_id))
        .filter(membership::Column::TeamId.eq(id))
        .filter(membership::Column::DeletedAt.is_null())
        .count(&txn)
        .await?;
    if members > 0 {
        return Err(RepoError::Conflict {
            code: "team_in_use",
            message: format!(
                "team {:?} still has {members} member(s): move them to another team or clear their team_id first",
                team.name
            ),
        });
    }
    mark_deleted::<Entity, _>(&txn, scope, id, team.version, true).await?;
    txn.commit().await?;
    Ok(())
}

/// Lists teams visible to `scope`.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: TeamFilter,
    options: &ListOptions,
) -> Result<Page<Model>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    let mut condition = visible::<Entity>(scope);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        condition = condition.add(contains_text(Column::Name, &like_pattern(q)));
    }
    if let Some(region) = filter.region {
        condition = condition.add(Column::Region.eq(region));
    }
    if let Some(manager_id) = filter.manager_id {
        condition = condition.add(Column::ManagerId.eq(manager_id));
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
