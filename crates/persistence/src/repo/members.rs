//! Member management: a user account (table `users`) together with its membership in the
//! organization (table `memberships`).
//!
//! The API names a member by the user id. The membership carries the role, team, title,
//! version and soft-delete mark, and its version moves on every change to the member, so
//! one ETag covers the account fields too. Change events use the user id as `entity_id`.

use domain::{Role, Scope};
use sea_orm::sea_query::{Expr, ExprTrait, NullOrdering, Order, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef, Set, SqlErr,
    Value,
};
use serde_json::{Value as Json, json};
use time::PrimitiveDateTime;
use time::macros::format_description;
use uuid::Uuid;

use super::{check_reference, check_version, update_versioned};
use crate::changes::{self, ChangeKind};
use crate::entities::{membership, organization, refresh_token, team, user};
use crate::list::{ListOptions, Page, contains_text, like_pattern, page_size, parse_sort};
use crate::tenant::{TenantEntity, visible};
use crate::{FieldError, RepoError};

/// The name used for members in errors and change events.
const ENTITY: &str = membership::Entity::NAME;

/// A member: the membership and the account it belongs to.
#[derive(Debug, Clone)]
pub struct Member {
    pub membership: membership::Model,
    pub account: user::Model,
}

/// The fields of a new member, whose account is created with the membership.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub name: String,
    /// Lower-cased e-mail address, unique across all accounts.
    pub email: String,
    pub role: Role,
    pub team_id: Option<Uuid>,
    pub title: Option<String>,
    /// An argon2 hash. Without one the member cannot sign in with a password.
    pub password_hash: Option<String>,
    /// IANA time zone, or the organization's time zone when `None`.
    pub time_zone: Option<String>,
    pub locale: String,
}

/// A partial update: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct MemberChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub team_id: Option<Option<Uuid>>,
    pub title: Option<Option<String>>,
    pub time_zone: Option<String>,
    pub locale: Option<String>,
}

impl MemberChanges {
    /// Returns whether the update touches fields that only an owner or admin may change.
    pub fn needs_admin(&self) -> bool {
        self.role.is_some() || self.team_id.is_some() || self.title.is_some()
    }
}

/// Filters of the member list.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    pub role: Option<Role>,
    pub team_id: Option<Uuid>,
    /// Text to find in the name or e-mail address.
    pub q: Option<String>,
    pub updated_since: Option<PrimitiveDateTime>,
}

/// A field the member list may sort by. Name and e-mail are columns of `users`, the
/// instants are the membership's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Name,
    Email,
    CreatedAt,
    UpdatedAt,
}

/// The fields a member list may sort by.
pub const SORT_FIELDS: &[(&str, SortField)] = &[
    ("name", SortField::Name),
    ("email", SortField::Email),
    ("created_at", SortField::CreatedAt),
    ("updated_at", SortField::UpdatedAt),
];

/// The sort applied when a request names none.
pub const DEFAULT_SORT: &str = "name";

/// Builds the join from a membership to its account.
fn account_join() -> RelationDef {
    membership::Entity::belongs_to(user::Entity)
        .from(membership::Column::UserId)
        .to(user::Column::Id)
        .into()
}

/// Loads the membership of `user_id` in the scope's organization, deleted or not.
async fn find_membership<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    user_id: Uuid,
) -> Result<membership::Model, RepoError> {
    membership::Entity::find()
        .filter(visible::<membership::Entity>(scope))
        .filter(membership::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(RepoError::NotFound { entity: ENTITY })
}

async fn find_account<C: ConnectionTrait>(db: &C, user_id: Uuid) -> Result<user::Model, RepoError> {
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(RepoError::NotFound { entity: ENTITY })
}

/// Loads a live member by user id.
async fn find_live_member<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    user_id: Uuid,
) -> Result<Member, RepoError> {
    let membership = find_membership(db, scope, user_id).await?;
    if membership.deleted_at.is_some() {
        return Err(RepoError::NotFound { entity: ENTITY });
    }
    let account = find_account(db, user_id).await?;
    Ok(Member {
        membership,
        account,
    })
}

/// Reads one live member by user id.
pub async fn get(
    db: &DatabaseConnection,
    scope: &Scope,
    user_id: Uuid,
) -> Result<Member, RepoError> {
    find_live_member(db, scope, user_id).await
}

/// Reads one member by user id, including a removed one.
pub async fn get_including_deleted(
    db: &DatabaseConnection,
    scope: &Scope,
    user_id: Uuid,
) -> Result<Member, RepoError> {
    let membership = find_membership(db, scope, user_id).await?;
    let account = find_account(db, user_id).await?;
    Ok(Member {
        membership,
        account,
    })
}

/// Creates an account and its membership in the scope's organization, with a change event.
/// An e-mail address that any account already uses is a conflict.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewMember,
) -> Result<Member, RepoError> {
    let txn = crate::begin_write(db).await?;
    check_email_free(&txn, scope, &new.email).await?;
    check_reference::<team::Entity, _>(&txn, scope, "team_id", new.team_id).await?;
    let time_zone = match new.time_zone {
        Some(time_zone) => time_zone,
        None => organization_time_zone(&txn, scope).await?,
    };

    let now = domain::time::now_utc();
    let account = user::ActiveModel {
        id: Set(domain::id::new_id()),
        email: Set(Some(new.email.clone())),
        name: Set(new.name),
        password_hash: Set(new.password_hash),
        time_zone: Set(time_zone),
        locale: Set(new.locale),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|error| match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => email_taken(&new.email),
        _ => RepoError::Database(error),
    })?;
    let membership = membership::ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        user_id: Set(account.id),
        role: Set(new.role.as_str().to_owned()),
        team_id: Set(new.team_id),
        title: Set(new.title),
    }
    .insert(&txn)
    .await?;
    changes::record(
        &txn,
        scope,
        ENTITY,
        account.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(Member {
        membership,
        account,
    })
}

fn email_taken(email: &str) -> RepoError {
    RepoError::Conflict {
        code: "email_taken",
        message: format!("an account with e-mail {email} already exists: use another address"),
    }
}

/// Rejects an e-mail address that an account already uses, pointing at a restore when the
/// account is a removed member of this organization.
async fn check_email_free<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    email: &str,
) -> Result<(), RepoError> {
    let Some(existing) = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    // NOTE: adding an existing account to a second organization is not supported yet, so
    // an address used in any organization is rejected here.
    let membership = find_membership(db, scope, existing.id).await.ok();
    let message = match membership {
        Some(membership) if membership.deleted_at.is_some() => format!(
            "{email} belongs to user {}, who was removed from this organization: restore them with POST /api/v1/users/{}/restore",
            existing.id, existing.id
        ),
        Some(_) => format!(
            "{email} already belongs to user {}, a member of this organization",
            existing.id
        ),
        None => format!(
            "an account with e-mail {email} already exists, and adding it to another organization is not supported yet: use another address"
        ),
    };
    Err(RepoError::Conflict {
        code: "email_taken",
        message,
    })
}

async fn organization_time_zone<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
) -> Result<String, RepoError> {
    let organization = organization::Entity::find_by_id(scope.org_id)
        .one(db)
        .await?
        .ok_or(RepoError::NotFound {
            entity: "organization",
        })?;
    Ok(organization.time_zone)
}

/// Applies a partial update at the expected membership version. Demoting the last owner is
/// a conflict. Permission checks are the caller's, made against the member it read at
/// `expected`, so a change in between fails with `StaleVersion`.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    user_id: Uuid,
    expected: Option<i64>,
    changes: MemberChanges,
    describe: impl Fn(&Member) -> Json,
) -> Result<Member, RepoError> {
    let txn = crate::begin_write(db).await?;
    let before = find_live_member(&txn, scope, user_id).await?;
    check_version(ENTITY, expected, before.membership.version)?;
    if let Some(role) = changes.role
        && role != Role::Owner
    {
        check_not_last_owner(&txn, scope, &before, "demote").await?;
    }
    check_reference::<team::Entity, _>(&txn, scope, "team_id", changes.team_id.flatten()).await?;

    update_account(&txn, user_id, &changes).await?;
    let mut active = <membership::ActiveModel as ActiveModelTrait>::default();
    if let Some(role) = changes.role {
        active.role = Set(role.as_str().to_owned());
    }
    if let Some(team_id) = changes.team_id {
        active.team_id = Set(team_id);
    }
    if let Some(title) = changes.title {
        active.title = Set(title);
    }
    let membership = update_versioned::<membership::Entity, _>(
        &txn,
        scope,
        before.membership.id,
        before.membership.version,
        active,
    )
    .await?;
    let account = find_account(&txn, user_id).await?;
    let after = Member {
        membership,
        account,
    };
    let diff = changes::diff(&describe(&before), &describe(&after));
    changes::record(&txn, scope, ENTITY, user_id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(after)
}

/// Writes the account fields of `changes`, when there are any.
async fn update_account<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    changes: &MemberChanges,
) -> Result<(), RepoError> {
    let mut active = <user::ActiveModel as ActiveModelTrait>::default();
    if let Some(name) = &changes.name {
        active.name = Set(name.clone());
    }
    if let Some(time_zone) = &changes.time_zone {
        active.time_zone = Set(time_zone.clone());
    }
    if let Some(locale) = &changes.locale {
        active.locale = Set(locale.clone());
    }
    if !active.is_changed() {
        return Ok(());
    }
    active.updated_at = Set(domain::time::now_utc());
    user::Entity::update_many()
        .set(active)
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Rejects removing the owner role from `member` when no other live owner would remain.
/// On PostgreSQL the owners' memberships stay locked until the transaction ends, so two
/// owners cannot demote each other at once.
async fn check_not_last_owner<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    member: &Member,
    action: &str,
) -> Result<(), RepoError> {
    if member.membership.role != Role::Owner.as_str() {
        return Ok(());
    }
    // SQLite ignores the row lock, but it runs one write transaction at a time.
    let owners = membership::Entity::find()
        .filter(visible::<membership::Entity>(scope))
        .filter(membership::Column::Role.eq(Role::Owner.as_str()))
        .filter(membership::Column::DeletedAt.is_null())
        .lock_exclusive()
        .all(db)
        .await?;
    let others = owners
        .iter()
        .filter(|owner| owner.user_id != member.membership.user_id)
        .count();
    match others {
        0 => Err(RepoError::Conflict {
            code: "last_owner",
            message: format!(
                "cannot {action} user {}, the organization's only owner: make another member an owner first",
                member.membership.user_id
            ),
        }),
        _ => Ok(()),
    }
}

/// Removes a member from the organization (soft delete) at the expected version and
/// revokes their refresh tokens for it. Removing yourself or the last owner is a conflict.
pub async fn delete(
    db: &DatabaseConnection,
    scope: &Scope,
    user_id: Uuid,
    expected: Option<i64>,
) -> Result<(), RepoError> {
    let txn = crate::begin_write(db).await?;
    let member = find_live_member(&txn, scope, user_id).await?;
    check_version(ENTITY, expected, member.membership.version)?;
    if user_id == scope.user_id {
        return Err(RepoError::Conflict {
            code: "cannot_remove_self",
            message: "you cannot remove yourself from the organization: ask another owner or admin to do it".to_owned(),
        });
    }
    check_not_last_owner(&txn, scope, &member, "remove").await?;

    let now = domain::time::now_utc();
    let version = member.membership.version;
    let result = membership::Entity::update_many()
        .col_expr(membership::Column::DeletedAt, Expr::value(now))
        .col_expr(membership::Column::Version, Expr::value(version + 1))
        .col_expr(membership::Column::UpdatedAt, Expr::value(now))
        .filter(membership::Column::Id.eq(member.membership.id))
        .filter(membership::Column::Version.eq(version))
        .filter(membership::Column::DeletedAt.is_null())
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(RepoError::StaleVersion {
            entity: ENTITY,
            expected: version,
            current: version + 1,
        });
    }
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::OrgId.eq(scope.org_id))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    changes::record(
        &txn,
        scope,
        ENTITY,
        user_id,
        ChangeKind::Deleted,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Restores a removed member at the expected version. Restoring a live member is a
/// conflict.
pub async fn restore(
    db: &DatabaseConnection,
    scope: &Scope,
    user_id: Uuid,
    expected: Option<i64>,
) -> Result<Member, RepoError> {
    let txn = crate::begin_write(db).await?;
    let membership = find_membership(&txn, scope, user_id).await?;
    check_version(ENTITY, expected, membership.version)?;
    if membership.deleted_at.is_none() {
        return Err(RepoError::Conflict {
            code: "not_deleted",
            message: format!("user {user_id} is a member, so there is nothing to restore"),
        });
    }

    let version = membership.version;
    let result = membership::Entity::update_many()
        .col_expr(
            membership::Column::DeletedAt,
            Expr::value(Value::TimeDateTime(None)),
        )
        .col_expr(membership::Column::Version, Expr::value(version + 1))
        .col_expr(
            membership::Column::UpdatedAt,
            Expr::value(domain::time::now_utc()),
        )
        .filter(membership::Column::Id.eq(membership.id))
        .filter(membership::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(RepoError::StaleVersion {
            entity: ENTITY,
            expected: version,
            current: version + 1,
        });
    }

    changes::record(
        &txn,
        scope,
        ENTITY,
        user_id,
        ChangeKind::Restored,
        Json::Null,
    )
    .await?;
    let member = find_live_member(&txn, scope, user_id).await?;
    txn.commit().await?;
    Ok(member)
}

/// Lists the members of the scope's organization, joined to their accounts.
///
/// The page is ordered by the sort keys with nulls last, then by user id. The cursor
/// stores the last row's value of each key. This is the scheme of
/// [`crate::list::fetch_page`], which cannot sort by a column of a joined table.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: MemberFilter,
    options: &ListOptions,
) -> Result<Page<Member>, RepoError> {
    let limit = page_size(options.limit).map_err(|error| RepoError::Invalid(vec![error]))?;
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    let select = membership::Entity::find()
        .join(JoinType::InnerJoin, account_join())
        .filter(list_condition(scope, &filter, options));
    let total = match options.with_total {
        true => Some(select.clone().count(db).await?),
        false => None,
    };

    let mut select = select;
    if let Some(cursor) = &options.cursor {
        let values = cursor::decode(cursor, sort_text, &sort)?;
        select = select.filter(cursor::after(&sort, &values));
    }
    for key in &sort {
        let order = match key.descending {
            true => Order::Desc,
            false => Order::Asc,
        };
        select = select.order_by_with_nulls(sort_expr(key.column), order, NullOrdering::Last);
    }
    let mut rows = select
        .order_by_asc(membership::Column::UserId)
        .limit(limit + 1)
        .select_two_required(user::Entity)
        .all(db)
        .await?;

    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|(membership, account)| cursor::encode(membership, account, sort_text, &sort))
    } else {
        None
    };
    let rows = rows
        .into_iter()
        .map(|(membership, account)| Member {
            membership,
            account,
        })
        .collect();
    Ok(Page {
        rows,
        next_cursor,
        total,
    })
}

fn list_condition(scope: &Scope, filter: &MemberFilter, options: &ListOptions) -> Condition {
    let mut condition = visible::<membership::Entity>(scope);
    if !options.include_deleted {
        condition = condition.add(membership::Column::DeletedAt.is_null());
    }
    if let Some(role) = filter.role {
        condition = condition.add(membership::Column::Role.eq(role.as_str()));
    }
    if let Some(team_id) = filter.team_id {
        condition = condition.add(membership::Column::TeamId.eq(team_id));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        condition = condition.add(
            Condition::any()
                .add(contains_text(user::Column::Name, &pattern))
                .add(contains_text(user::Column::Email, &pattern)),
        );
    }
    if let Some(since) = filter.updated_since {
        condition = condition.add(membership::Column::UpdatedAt.gte(since));
    }
    condition
}

/// Returns the table-qualified column that a sort field orders by.
fn sort_expr(field: SortField) -> SimpleExpr {
    match field {
        SortField::Name => user::Column::Name.into_expr(),
        SortField::Email => user::Column::Email.into_expr(),
        SortField::CreatedAt => membership::Column::CreatedAt.into_expr(),
        SortField::UpdatedAt => membership::Column::UpdatedAt.into_expr(),
    }
}

/// Cursors of the member list: base64url JSON of the sort text and the last row's values.
mod cursor {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;
    use crate::list::SortKey;

    const INSTANT: &[time::format_description::BorrowedFormatItem<'static>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]");

    /// A sort value of one row, or the user id that breaks ties.
    #[derive(Debug, Clone, PartialEq)]
    pub(super) enum CursorValue {
        Text(Option<String>),
        Instant(PrimitiveDateTime),
        Id(Uuid),
    }

    fn value_of(
        field: SortField,
        membership: &membership::Model,
        account: &user::Model,
    ) -> CursorValue {
        match field {
            SortField::Name => CursorValue::Text(Some(account.name.clone())),
            SortField::Email => CursorValue::Text(account.email.clone()),
            SortField::CreatedAt => CursorValue::Instant(membership.created_at),
            SortField::UpdatedAt => CursorValue::Instant(membership.updated_at),
        }
    }

    fn to_json(value: &CursorValue) -> Json {
        match value {
            CursorValue::Text(text) => json!(text),
            CursorValue::Instant(instant) => json!(instant.format(INSTANT).unwrap_or_default()),
            CursorValue::Id(id) => json!(id.to_string()),
        }
    }

    fn from_json(field: Option<SortField>, json: &Json) -> Option<CursorValue> {
        let text = json.as_str();
        match field {
            Some(SortField::Name) => Some(CursorValue::Text(Some(text?.to_owned()))),
            Some(SortField::Email) => match json {
                Json::Null => Some(CursorValue::Text(None)),
                _ => Some(CursorValue::Text(Some(text?.to_owned()))),
            },
            Some(SortField::CreatedAt | SortField::UpdatedAt) => Some(CursorValue::Instant(
                PrimitiveDateTime::parse(text?, INSTANT).ok()?,
            )),
            None => Some(CursorValue::Id(Uuid::parse_str(text?).ok()?)),
        }
    }

    pub(super) fn encode(
        membership: &membership::Model,
        account: &user::Model,
        sort_text: &str,
        sort: &[SortKey<SortField>],
    ) -> String {
        let mut values: Vec<Json> = sort
            .iter()
            .map(|key| to_json(&value_of(key.column, membership, account)))
            .collect();
        values.push(to_json(&CursorValue::Id(membership.user_id)));
        let body = json!({ "sort": sort_text, "after": values });
        URL_SAFE_NO_PAD.encode(body.to_string())
    }

    /// Decodes a cursor into one value per sort key followed by the user id.
    pub(super) fn decode(
        cursor: &str,
        sort_text: &str,
        sort: &[SortKey<SortField>],
    ) -> Result<Vec<CursorValue>, RepoError> {
        let invalid = |problem: &str| {
            RepoError::Invalid(vec![FieldError::new(
                "cursor",
                "invalid_cursor",
                format!(
                    "{problem}: pass the next_cursor of the previous page unchanged, with the same sort"
                ),
            )])
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(cursor)
            .map_err(|_| invalid("cursor is not valid base64url"))?;
        let body: Json = serde_json::from_slice(&bytes)
            .map_err(|_| invalid("cursor is not a Dealbook cursor"))?;
        if body.get("sort").and_then(Json::as_str) != Some(sort_text) {
            return Err(invalid("cursor was made for a different sort"));
        }
        let values = body
            .get("after")
            .and_then(Json::as_array)
            .filter(|values| values.len() == sort.len() + 1)
            .ok_or_else(|| invalid("cursor is not a Dealbook cursor"))?;
        let fields = sort.iter().map(|key| Some(key.column)).chain([None]);
        fields
            .zip(values)
            .map(|(field, json)| from_json(field, json))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| invalid("cursor contains a value of the wrong type"))
    }

    fn to_value(value: &CursorValue) -> Value {
        match value {
            CursorValue::Text(text) => Value::String(text.clone()),
            CursorValue::Instant(instant) => Value::TimeDateTime(Some(*instant)),
            CursorValue::Id(id) => Value::Uuid(Some(*id)),
        }
    }

    /// Builds the condition for rows after the cursor position, with nulls sorted last.
    pub(super) fn after(sort: &[SortKey<SortField>], values: &[CursorValue]) -> Condition {
        let id = values.last().map(to_value).unwrap_or(Value::Uuid(None));
        let mut condition = Condition::all().add(membership::Column::UserId.into_expr().gt(id));
        for (key, value) in sort.iter().zip(values).rev() {
            let column = sort_expr(key.column);
            condition = match value {
                CursorValue::Text(None) => Condition::all().add(column.is_null()).add(condition),
                _ => {
                    let value = to_value(value);
                    let beyond = match key.descending {
                        true => column.clone().lt(value.clone()),
                        false => column.clone().gt(value.clone()),
                    };
                    Condition::any()
                        .add(beyond)
                        .add(column.clone().is_null())
                        .add(Condition::all().add(column.eq(value)).add(condition))
                }
            };
        }
        condition
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn key(column: SortField, descending: bool) -> SortKey<SortField> {
            SortKey { column, descending }
        }

        #[test]
        fn cursor_round_trips_values() {
            let now = domain::time::now_utc();
            let user_id = Uuid::now_v7();
            let membership = membership::Model {
                id: Uuid::now_v7(),
                org_id: Uuid::nil(),
                version: 1,
                created_at: now,
                updated_at: now,
                deleted_at: None,
                user_id,
                role: "rep".to_owned(),
                team_id: None,
                title: None,
            };
            let account = user::Model {
                id: user_id,
                email: None,
                name: "Li Wei".to_owned(),
                password_hash: None,
                time_zone: "UTC".to_owned(),
                locale: "en".to_owned(),
                created_at: now,
                updated_at: now,
            };
            let sort = [
                key(SortField::Email, false),
                key(SortField::Name, true),
                key(SortField::UpdatedAt, false),
            ];
            let text = "email,-name,updated_at";
            let cursor = encode(&membership, &account, text, &sort);
            let decoded = decode(&cursor, text, &sort).unwrap_or_default();
            let expected = vec![
                CursorValue::Text(None),
                CursorValue::Text(Some("Li Wei".to_owned())),
                CursorValue::Instant(now),
                CursorValue::Id(user_id),
            ];
            assert_eq!(decoded, expected);
        }

        #[test]
        fn cursor_rejects_other_sort() {
            let sort = [key(SortField::Name, false)];
            let body = json!({"sort": "name", "after": ["A", Uuid::nil().to_string()]});
            let cursor = URL_SAFE_NO_PAD.encode(body.to_string());
            assert!(decode(&cursor, "name", &sort).is_ok());
            assert!(decode(&cursor, "-name", &sort).is_err());
            assert!(decode("not a cursor", "name", &sort).is_err());
        }

        #[test]
        fn cursor_rejects_wrong_value_type() {
            let sort = [key(SortField::CreatedAt, false)];
            let body =
                json!({"sort": "created_at", "after": ["yesterday", Uuid::nil().to_string()]});
            let cursor = URL_SAFE_NO_PAD.encode(body.to_string());
            assert!(decode(&cursor, "created_at", &sort).is_err());
        }
    }
}
