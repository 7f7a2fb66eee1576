//! Repositories: scoped reads and versioned writes per resource, on top of shared helpers for
//! soft delete, restore and optimistic concurrency.

pub mod activities;
pub mod auth;
pub mod board;
pub mod bottlenecks;
pub mod campaigns;
pub mod companies;
pub mod contacts;
pub mod deals;
pub mod forecast_snapshots;
pub mod idempotency;
pub mod leads;
pub mod members;
pub mod pipelines;
pub mod products;
pub mod quotas;
pub mod reports;
pub mod tasks;
pub mod teams;
pub mod users;

use domain::Scope;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, IntoActiveModel,
    ModelTrait, QueryFilter,
};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::RepoError;
use crate::changes::{self, ChangeKind};
use crate::tenant::{TenantEntity, live_row, visible};

/// Loads one live row visible to `scope`, or `NotFound`.
pub async fn find_live<E, C>(db: &C, scope: &Scope, id: Uuid) -> Result<E::Model, RepoError>
where
    E: TenantEntity,
    C: ConnectionTrait,
{
    E::find()
        .filter(live_row::<E>(scope, id))
        .one(db)
        .await?
        .ok_or(RepoError::NotFound { entity: E::NAME })
}

/// Checks a client's `If-Match` version against the stored one.
pub fn check_version(
    entity: &'static str,
    expected: Option<i64>,
    current: i64,
) -> Result<(), RepoError> {
    match expected {
        Some(expected) if expected != current => Err(RepoError::StaleVersion {
            entity,
            expected,
            current,
        }),
        _ => Ok(()),
    }
}

/// Reads the `version` of a model through its column.
pub fn version_of<E: TenantEntity>(model: &E::Model) -> i64
where
    E::Model: ModelTrait<Entity = E>,
{
    match model.get(E::version_column()) {
        sea_orm::Value::BigInt(Some(version)) => version,
        _ => 0,
    }
}

/// Writes the changed columns of `changes` onto a live row, bumps its version and returns the
/// stored row. Fails with `StaleVersion` when another write got there first.
pub async fn update_versioned<E, C>(
    db: &C,
    scope: &Scope,
    id: Uuid,
    current_version: i64,
    changes: E::ActiveModel,
) -> Result<E::Model, RepoError>
where
    E: TenantEntity,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
    C: ConnectionTrait,
{
    let result = E::update_many()
        .set(changes)
        .col_expr(E::version_column(), Expr::value(current_version + 1))
        .col_expr(E::updated_column(), Expr::value(domain::time::now_utc()))
        .filter(live_row::<E>(scope, id))
        .filter(E::version_column().eq(current_version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        let current = find_live::<E, C>(db, scope, id).await?;
        return Err(RepoError::StaleVersion {
            entity: E::NAME,
            expected: current_version,
            current: version_of::<E>(&current),
        });
    }
    find_live::<E, C>(db, scope, id).await
}

/// Marks a row deleted, recording who did it. `expected` is the client's `If-Match` version.
pub async fn soft_delete<E>(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
) -> Result<(), RepoError>
where
    E: TenantEntity,
    E::Model: ModelTrait<Entity = E> + IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let txn = crate::begin_write(db).await?;
    let current = find_live::<E, _>(&txn, scope, id).await?;
    let version = version_of::<E>(&current);
    check_version(E::NAME, expected, version)?;

    mark_deleted::<E, _>(&txn, scope, id, version, true).await?;
    txn.commit().await?;
    Ok(())
}

/// Marks a live row deleted inside the caller's transaction, bumping its version from
/// `version`, and appends a change event when `record_event` is set. Fails with
/// `StaleVersion` when the row changed since it was read.
pub async fn mark_deleted<E, C>(
    db: &C,
    scope: &Scope,
    id: Uuid,
    version: i64,
    record_event: bool,
) -> Result<(), RepoError>
where
    E: TenantEntity,
    C: ConnectionTrait,
{
    let now = domain::time::now_utc();
    let result = E::update_many()
        .col_expr(E::deleted_column(), Expr::value(now))
        .col_expr(E::version_column(), Expr::value(version + 1))
        .col_expr(E::updated_column(), Expr::value(now))
        .filter(live_row::<E>(scope, id))
        .filter(E::version_column().eq(version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Err(RepoError::StaleVersion {
            entity: E::NAME,
            expected: version,
            current: version + 1,
        });
    }
    if record_event {
        changes::record(db, scope, E::NAME, id, ChangeKind::Deleted, Json::Null).await?;
    }
    Ok(())
}

/// Clears the deleted mark of a row and returns it. Restoring a live row is a conflict.
pub async fn restore<E>(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
) -> Result<E::Model, RepoError>
where
    E: TenantEntity,
    E::Model: ModelTrait<Entity = E> + Sync,
{
    let txn = crate::begin_write(db).await?;
    let row = E::find()
        .filter(visible::<E>(scope).add(E::id_column().eq(id)))
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound { entity: E::NAME })?;
    let version = version_of::<E>(&row);
    check_version(E::NAME, expected, version)?;
    if matches!(
        row.get(E::deleted_column()),
        sea_orm::Value::TimeDateTime(None)
    ) {
        return Err(RepoError::Conflict {
            code: "not_deleted",
            message: format!(
                "{} {id} is not deleted, so there is nothing to restore",
                E::NAME
            ),
        });
    }

    let result = E::update_many()
        .col_expr(
            E::deleted_column(),
            Expr::value(sea_orm::Value::TimeDateTime(None)),
        )
        .col_expr(E::version_column(), Expr::value(version + 1))
        .col_expr(E::updated_column(), Expr::value(domain::time::now_utc()))
        .filter(visible::<E>(scope).add(E::id_column().eq(id)))
        .filter(E::version_column().eq(version))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(RepoError::StaleVersion {
            entity: E::NAME,
            expected: version,
            current: version + 1,
        });
    }
    changes::record(&txn, scope, E::NAME, id, ChangeKind::Restored, Json::Null).await?;
    let restored = find_live::<E, _>(&txn, scope, id).await?;
    txn.commit().await?;
    Ok(restored)
}

/// Sets an active-model field when the patch names it.
pub fn set_optional<T: Into<sea_orm::Value>>(
    field: &mut sea_orm::ActiveValue<T>,
    change: Option<T>,
) {
    if let Some(value) = change {
        *field = sea_orm::ActiveValue::Set(value);
    }
}

/// Checks that `id`, when given, names a live row of `E` that `scope` may see, reporting a
/// missing one against `field`.
pub async fn check_reference<E, C>(
    db: &C,
    scope: &Scope,
    field: &str,
    id: Option<Uuid>,
) -> Result<(), RepoError>
where
    E: TenantEntity,
    C: ConnectionTrait,
{
    let Some(id) = id else {
        return Ok(());
    };
    match find_live::<E, C>(db, scope, id).await {
        Ok(_) => Ok(()),
        Err(RepoError::NotFound { entity }) => Err(RepoError::invalid(
            field,
            "unknown_reference",
            format!(
                "no {entity} with id {id} exists in this organization: pass the id of an existing {entity}"
            ),
        )),
        Err(other) => Err(other),
    }
}
