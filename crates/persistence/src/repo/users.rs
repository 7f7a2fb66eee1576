//! Members of an organization: a user account plus its membership and role.

use domain::{Role, Scope};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::RepoError;
use crate::entities::membership;

/// Checks that `user_id`, when given, is a live member of the scope's organization.
pub async fn check_member<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    field: &str,
    user_id: Option<Uuid>,
) -> Result<(), RepoError> {
    let Some(user_id) = user_id else {
        return Ok(());
    };
    let found = membership::Entity::find()
        .filter(membership::Column::OrgId.eq(scope.org_id))
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::DeletedAt.is_null())
        .one(db)
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(RepoError::invalid(
            field,
            "unknown_reference",
            format!(
                "no user with id {user_id} is a member of this organization: pass a member's user id"
            ),
        )),
    }
}

/// Parses a stored role name, treating an unknown one as the least privileged.
pub fn stored_role(name: &str) -> Role {
    Role::parse(name).unwrap_or(Role::Viewer)
}

/// Loads the current role and team of a live member, or `None` when `user_id` is no longer a
/// member of `org_id`.
pub async fn current_membership<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Option<(Role, Option<Uuid>)>, RepoError> {
    let found = membership::Entity::find()
        .filter(membership::Column::OrgId.eq(org_id))
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::DeletedAt.is_null())
        .one(db)
        .await?;
    Ok(found.map(|membership| (stored_role(&membership.role), membership.team_id)))
}
