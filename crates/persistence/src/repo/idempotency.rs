//! Stored responses of POST requests sent with an `Idempotency-Key`, so that a retried
//! request returns the first response instead of creating a record again.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use time::Duration;
use uuid::Uuid;

use crate::RepoError;
use crate::entities::idempotency_key::{ActiveModel, Column, Entity, Model};

/// How long a key is remembered.
pub const KEY_LIFETIME: Duration = Duration::hours(24);

/// How long a request may hold a key before another request may take it over.
pub const CLAIM_TIMEOUT: Duration = Duration::minutes(5);

/// The state of a key when a request arrives.
pub enum Claim {
    /// The key is new: run the request, then [`complete`] or [`release`] it.
    Claimed,
    /// The key was used for the same request, which finished with this response.
    Replay(Model),
    /// The key was used for the same request, which is still running.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

fn key_filter(org_id: Uuid, user_id: Uuid, key: &str) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(Column::OrgId.eq(org_id))
        .add(Column::UserId.eq(user_id))
        .add(Column::Key.eq(key))
}

/// Claims `key` for a request whose method, path and body hash to `request_hash`.
pub async fn claim(
    db: &DatabaseConnection,
    org_id: Uuid,
    user_id: Uuid,
    key: &str,
    request_hash: &str,
) -> Result<Claim, RepoError> {
    let now = domain::time::now_utc();
    Entity::delete_many()
        .filter(key_filter(org_id, user_id, key))
        .filter(
            sea_orm::Condition::any()
                .add(Column::CreatedAt.lt(now - KEY_LIFETIME))
                .add(
                    sea_orm::Condition::all()
                        .add(Column::Status.is_null())
                        .add(Column::CreatedAt.lt(now - CLAIM_TIMEOUT)),
                ),
        )
        .exec(db)
        .await?;

    let row = ActiveModel {
        org_id: Set(org_id),
        user_id: Set(user_id),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        status: Set(None),
        response_body: Set(None),
        response_headers: Set(None),
        created_at: Set(now),
    };
    let inserted = Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::OrgId, Column::UserId, Column::Key])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if inserted == 1 {
        return Ok(Claim::Claimed);
    }

    let existing = Entity::find()
        .filter(key_filter(org_id, user_id, key))
        .one(db)
        .await?;
    Ok(match existing {
        None => Claim::InProgress,
        Some(row) if row.request_hash != request_hash => Claim::Mismatch,
        Some(row) if row.status.is_none() => Claim::InProgress,
        Some(row) => Claim::Replay(row),
    })
}

/// Stores the response of a claimed request.
pub async fn complete(
    db: &DatabaseConnection,
    org_id: Uuid,
    user_id: Uuid,
    key: &str,
    status: u16,
    body: String,
    headers: String,
) -> Result<(), RepoError> {
    Entity::update_many()
        .col_expr(
            Column::Status,
            sea_orm::sea_query::Expr::value(i32::from(status)),
        )
        .col_expr(Column::ResponseBody, sea_orm::sea_query::Expr::value(body))
        .col_expr(
            Column::ResponseHeaders,
            sea_orm::sea_query::Expr::value(headers),
        )
        .filter(key_filter(org_id, user_id, key))
        .exec(db)
        .await?;
    Ok(())
}

/// Frees a claimed key after a request failed, so the client may retry with it.
pub async fn release(
    db: &DatabaseConnection,
    org_id: Uuid,
    user_id: Uuid,
    key: &str,
) -> Result<(), RepoError> {
    Entity::delete_many()
        .filter(key_filter(org_id, user_id, key))
        .filter(Column::Status.is_null())
        .exec(db)
        .await?;
    Ok(())
}
