//! Sign-up, sign-in and refresh tokens.
//!
//! A refresh token belongs to a family that starts at sign-in. Each use marks the token used
//! and issues the next one in the family; presenting a used or revoked token again revokes
//! the whole family, so a stolen token stops working for both the thief and the owner.

use domain::{Role, Scope};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use time::{Duration, PrimitiveDateTime};
use uuid::Uuid;

use super::pipelines::{NewStage, create_pipeline_in_txn};
use super::users::stored_role;
use crate::RepoError;
use crate::changes::{self, ChangeKind};
use crate::entities::{membership, organization, refresh_token, user};

/// The organization and owner of a sign-up.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub organization_name: String,
    pub base_currency: String,
    pub time_zone: String,
    pub owner_name: String,
    pub owner_email: String,
    pub password_hash: Option<String>,
}

/// A member as seen at sign-in: the account, the membership and the organization.
#[derive(Debug, Clone)]
pub struct MemberAccount {
    pub user: user::Model,
    pub membership: membership::Model,
    pub organization: organization::Model,
}

impl MemberAccount {
    pub fn role(&self) -> Role {
        stored_role(&self.membership.role)
    }

    pub fn scope(&self) -> Scope {
        Scope::organization(self.organization.id, self.user.id, self.role())
    }
}

/// Creates an organization, its owner account and membership in one transaction, with the
/// `stages` as its first pipeline named `pipeline_name`.
pub async fn create_organization(
    db: &DatabaseConnection,
    new: NewOrganization,
    pipeline_name: &str,
    stages: &[(&str, i32, domain::StageKind)],
) -> Result<MemberAccount, RepoError> {
    let txn = crate::begin_write(db).await?;
    let email = domain::contact::email_key(&new.owner_email);
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(email_taken(&email));
    }
    let now = domain::time::now_utc();
    let organization = organization::ActiveModel {
        id: Set(domain::id::new_id()),
        name: Set(new.organization_name),
        base_currency: Set(new.base_currency),
        time_zone: Set(new.time_zone.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let user = user::ActiveModel {
        id: Set(domain::id::new_id()),
        email: Set(Some(email.clone())),
        name: Set(new.owner_name),
        password_hash: Set(new.password_hash),
        time_zone: Set(new.time_zone),
        locale: Set("en".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|error| match error.sql_err() {
        // Two sign-ups with one address can both pass the check above; the unique index
        // rejects the second.
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => email_taken(&email),
        _ => RepoError::Database(error),
    })?;
    let membership = insert_membership(&txn, organization.id, user.id, Role::Owner, None).await?;
    let account = MemberAccount {
        user,
        membership,
        organization,
    };
    let scope = account.scope();
    let stages: Vec<NewStage> = stages.iter().copied().map(NewStage::from).collect();
    create_pipeline_in_txn(&txn, &scope, pipeline_name, &stages).await?;
    changes::record(
        &txn,
        &scope,
        "organization",
        scope.org_id,
        ChangeKind::Created,
        serde_json::Value::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(account)
}

fn email_taken(email: &str) -> RepoError {
    RepoError::Conflict {
        code: "email_taken",
        message: format!(
            "an account with the e-mail address {email} already exists: sign in with it instead"
        ),
    }
}

/// Inserts a membership row.
pub async fn insert_membership<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    user_id: Uuid,
    role: Role,
    team_id: Option<Uuid>,
) -> Result<membership::Model, RepoError> {
    let now = domain::time::now_utc();
    let model = membership::ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        team_id: Set(team_id),
        title: Set(None),
    }
    .insert(db)
    .await?;
    Ok(model)
}

/// Finds the live memberships of the account with `email`, oldest first, for sign-in.
pub async fn find_accounts_by_email(
    db: &DatabaseConnection,
    email: &str,
) -> Result<Vec<MemberAccount>, RepoError> {
    let email = domain::contact::email_key(email);
    let Some(user) = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?
    else {
        return Ok(Vec::new());
    };
    accounts_of(db, user).await
}

async fn accounts_of(
    db: &DatabaseConnection,
    user: user::Model,
) -> Result<Vec<MemberAccount>, RepoError> {
    let memberships = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .filter(membership::Column::DeletedAt.is_null())
        .order_by_asc(membership::Column::CreatedAt)
        .find_also_related_organization(db)
        .await?;
    Ok(memberships
        .into_iter()
        .map(|(membership, organization)| MemberAccount {
            user: user.clone(),
            membership,
            organization,
        })
        .collect())
}

trait FindWithOrganization {
    async fn find_also_related_organization(
        self,
        db: &DatabaseConnection,
    ) -> Result<Vec<(membership::Model, organization::Model)>, RepoError>;
}

impl FindWithOrganization for sea_orm::Select<membership::Entity> {
    async fn find_also_related_organization(
        self,
        db: &DatabaseConnection,
    ) -> Result<Vec<(membership::Model, organization::Model)>, RepoError> {
        let memberships = self.all(db).await?;
        let org_ids: Vec<Uuid> = memberships.iter().map(|m| m.org_id).collect();
        let organizations = organization::Entity::find()
            .filter(organization::Column::Id.is_in(org_ids))
            .all(db)
            .await?;
        Ok(memberships
            .into_iter()
            .filter_map(|membership| {
                let organization = organizations
                    .iter()
                    .find(|org| org.id == membership.org_id)?;
                Some((membership, organization.clone()))
            })
            .collect())
    }
}

/// Loads the live membership of `user_id` in `org_id`.
pub async fn find_account(
    db: &DatabaseConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Option<MemberAccount>, RepoError> {
    let Some(user) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(None);
    };
    let accounts = accounts_of(db, user).await?;
    Ok(accounts
        .into_iter()
        .find(|account| account.organization.id == org_id))
}

/// Stores the hash of a new refresh token.
pub async fn store_refresh_token(
    db: &DatabaseConnection,
    org_id: Uuid,
    user_id: Uuid,
    family_id: Uuid,
    token_hash: String,
    lifetime: Duration,
) -> Result<(), RepoError> {
    let now = domain::time::now_utc();
    refresh_token::ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(org_id),
        user_id: Set(user_id),
        family_id: Set(family_id),
        token_hash: Set(token_hash),
        created_at: Set(now),
        expires_at: Set(now + lifetime),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The outcome of presenting a refresh token.
pub enum Rotation {
    /// The token was valid and is now used: issue the next one in `family_id`.
    Rotated {
        account: Box<MemberAccount>,
        family_id: Uuid,
    },
    /// The token is unknown or expired.
    Invalid,
    /// The token was already used: its whole family is now revoked.
    Reused,
    /// The token was never used but is revoked: by sign-out, by the member's removal, or
    /// because an older token of its family was reused.
    Revoked,
}

/// Marks a refresh token used and reports whether a successor may be issued.
pub async fn use_refresh_token(
    db: &DatabaseConnection,
    token_hash: &str,
) -> Result<Rotation, RepoError> {
    let now = domain::time::now_utc();
    let Some(token) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
    else {
        return Ok(Rotation::Invalid);
    };
    if token.used_at.is_some() {
        revoke_family(db, token.family_id, now).await?;
        tracing::warn!(family_id = %token.family_id, user_id = %token.user_id, "refresh token reused; family revoked");
        return Ok(Rotation::Reused);
    }
    if token.revoked_at.is_some() {
        return Ok(Rotation::Revoked);
    }
    if token.expires_at <= now {
        return Ok(Rotation::Invalid);
    }
    // Only one of two concurrent uses of the same token can flip used_at from NULL.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        revoke_family(db, token.family_id, now).await?;
        return Ok(Rotation::Reused);
    }
    match find_account(db, token.org_id, token.user_id).await? {
        Some(account) => Ok(Rotation::Rotated {
            account: Box::new(account),
            family_id: token.family_id,
        }),
        None => Ok(Rotation::Invalid),
    }
}

async fn revoke_family(
    db: &DatabaseConnection,
    family_id: Uuid,
    now: PrimitiveDateTime,
) -> Result<(), RepoError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes the family of a refresh token, for sign-out. Unknown tokens are ignored.
pub async fn revoke_refresh_token(
    db: &DatabaseConnection,
    token_hash: &str,
) -> Result<(), RepoError> {
    let token = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?;
    if let Some(token) = token {
        revoke_family(db, token.family_id, domain::time::now_utc()).await?;
    }
    Ok(())
}
