//! `/users`: the members of the organization, their roles, teams and preferences.
//!
//! A user record combines the account (name, e-mail, time zone, locale) with the
//! membership in this organization (role, team, title, version). Paths use the user id.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::users::{NewUser, Role as RoleBody, User, UserPatch};
use api_types::{Page, Problem};
use domain::{Role, Scope};
use persistence::FieldError;
use persistence::list::ListOptions;
use persistence::repo::members::{self, Member as MemberRecord};
use persistence::repo::users::stored_role;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::convert::{check_length, clean, clean_patch, instant_out};
use crate::error::{ApiError, reject_fields};
use crate::extract::{Body, IfMatch, Member};
use crate::respond::{created, no_content, ok_versioned};
use crate::state::AppState;
use crate::tokens::hash_password;

/// The user-interface languages a member can choose.
const LOCALES: [&str; 2] = ["en", "zh-CN"];

/// The locale of a new member who names none.
const DEFAULT_LOCALE: &str = "en";

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(delete_user)
        .service(restore_user);
}

fn role_out(role: Role) -> RoleBody {
    match role {
        Role::Owner => RoleBody::Owner,
        Role::Admin => RoleBody::Admin,
        Role::Manager => RoleBody::Manager,
        Role::Rep => RoleBody::Rep,
        Role::Viewer => RoleBody::Viewer,
    }
}

fn role_in(role: RoleBody) -> Role {
    match role {
        RoleBody::Owner => Role::Owner,
        RoleBody::Admin => Role::Admin,
        RoleBody::Manager => Role::Manager,
        RoleBody::Rep => Role::Rep,
        RoleBody::Viewer => Role::Viewer,
    }
}

/// Builds the response body of a member. The team members list uses it too.
pub(crate) fn to_body(member: MemberRecord) -> User {
    let MemberRecord {
        membership,
        account,
    } = member;
    User {
        id: membership.user_id,
        name: account.name,
        email: account.email,
        role: role_out(stored_role(&membership.role)),
        team_id: membership.team_id,
        title: membership.title,
        time_zone: account.time_zone,
        locale: account.locale,
        version: membership.version,
        created_at: instant_out(membership.created_at),
        updated_at: instant_out(membership.updated_at),
        deleted_at: membership.deleted_at.map(instant_out),
    }
}

fn describe(member: &MemberRecord) -> serde_json::Value {
    serde_json::to_value(to_body(member.clone())).unwrap_or_default()
}

/// Checks whether `name` looks like an IANA time zone: `UTC`, or `Area/Location` such as
/// `Asia/Shanghai` or `America/Argentina/Buenos_Aires`. The name is not looked up in the
/// time zone database.
fn is_plausible_time_zone(name: &str) -> bool {
    if name == "UTC" {
        return true;
    }
    let parts: Vec<&str> = name.split('/').collect();
    let well_formed = parts.iter().all(|part| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
    });
    name.len() <= 64
        && parts.len() >= 2
        && well_formed
        && parts[0].starts_with(|c: char| c.is_ascii_uppercase())
        && domain::time::is_known_time_zone(name)
}

fn check_time_zone(time_zone: Option<&str>, errors: &mut Vec<FieldError>) {
    if let Some(time_zone) = time_zone
        && !is_plausible_time_zone(time_zone)
    {
        errors.push(FieldError::new(
            "time_zone",
            "invalid_time_zone",
            format!(
                "{time_zone:?} is not an IANA time zone: use UTC or an Area/Location name such as Asia/Shanghai"
            ),
        ));
    }
}

fn check_locale(locale: Option<&str>, errors: &mut Vec<FieldError>) {
    if let Some(locale) = locale
        && !LOCALES.contains(&locale)
    {
        errors.push(FieldError::new(
            "locale",
            "unsupported_locale",
            format!("locale {locale:?} is not supported: use en or zh-CN"),
        ));
    }
}

fn blank_name() -> FieldError {
    FieldError::new("name", "required", "name must not be blank")
}

/// Requires that `actor` may grant `role`: only an owner grants the owner role.
fn check_grant(actor: &Scope, role: Role) -> Result<(), ApiError> {
    match actor.role.can_grant(role) {
        true => Ok(()),
        false => Err(ApiError::forbidden(format!(
            "a member with the {} role cannot grant the {} role: ask an owner",
            actor.role.as_str(),
            role.as_str()
        ))),
    }
}

/// Requires that `actor` may manage `target`: owners and admins manage members, and only
/// an owner manages another owner.
fn check_manages(actor: &Scope, target: &MemberRecord) -> Result<(), ApiError> {
    if !actor.role.can_administer() {
        return Err(ApiError::forbidden(
            "only an owner or admin can change other members, or anyone's role, team_id and title. You may change your own name, time_zone and locale",
        ));
    }
    let target_is_owner = stored_role(&target.membership.role) == Role::Owner;
    if target_is_owner && actor.role != Role::Owner && actor.user_id != target.membership.user_id {
        return Err(ApiError::forbidden(
            "only an owner can change or remove another owner: ask an owner",
        ));
    }
    Ok(())
}

/// Checks that `actor` may apply `changes` to `target`. Members may change their own
/// name, time zone and locale; everything else needs an owner or admin.
fn authorize_update(
    actor: &Scope,
    target: &MemberRecord,
    changes: &members::MemberChanges,
) -> Result<(), ApiError> {
    let is_self = actor.user_id == target.membership.user_id;
    if is_self && !changes.needs_admin() {
        return Ok(());
    }
    check_manages(actor, target)?;
    match changes.role {
        Some(role) => check_grant(actor, role),
        None => Ok(()),
    }
}

/// Query parameters of the user list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: name, email, created_at, updated_at.
    /// Default `name`.
    sort: Option<String>,
    /// Adds `total`, the number of matching users.
    #[serde(default)]
    with_total: bool,
    /// Lists removed members too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the name or e-mail address.
    q: Option<String>,
    #[param(value_type = Option<RoleBody>)]
    role: Option<RoleBody>,
    team_id: Option<Uuid>,
    /// Only users changed at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<OffsetDateTime>,
}

/// List users
///
/// Pages through the organization's members with keyset pagination.
#[utoipa::path(
    tag = "users",
    params(UserListQuery),
    responses(
        (status = 200, description = "One page of users", body = Page<User>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<UserListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = members::MemberFilter {
        role: query.role.map(role_in),
        team_id: query.team_id,
        q: query.q,
        updated_since: query.updated_since.map(domain::time::to_stored),
    };
    let page = members::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

/// Checks a new member's fields, leaving the password unhashed.
fn new_member(body: &NewUser) -> Result<members::NewMember, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let name = body.name.trim().to_owned();
    if name.is_empty() {
        errors.push(blank_name());
    }
    let email = domain::contact::email_key(&body.email);
    if !domain::contact::is_plausible_email(&email) {
        errors.push(FieldError::new(
            "email",
            "invalid_email",
            "email must be an e-mail address such as li.wei@example.com",
        ));
    }
    let time_zone = clean(body.time_zone.clone());
    check_time_zone(time_zone.as_deref(), &mut errors);
    let locale = body.locale.as_deref().map(str::trim);
    check_locale(locale, &mut errors);
    reject_fields(errors)?;
    Ok(members::NewMember {
        name,
        email,
        role: body.role.map_or(Role::Rep, role_in),
        team_id: body.team_id,
        title: clean(body.title.clone()),
        password_hash: None,
        time_zone,
        locale: locale.unwrap_or(DEFAULT_LOCALE).to_owned(),
    })
}

/// Hashes a password on the blocking thread pool, because argon2 is slow by design and
/// would stall the other requests of this worker.
async fn hash_off_thread(password: Option<String>) -> Result<Option<String>, ApiError> {
    let Some(password) = password else {
        return Ok(None);
    };
    let hash = web::block(move || hash_password(&password))
        .await
        .map_err(ApiError::internal)??;
    Ok(Some(hash))
}

/// Add a user
///
/// Needs an owner or admin. Creates an account with the given e-mail address and makes it
/// a member of this organization. Only an owner can grant the `owner` role.
#[utoipa::path(
    tag = "users",
    request_body = NewUser,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new user", body = User, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only owners and admins add users, and only owners grant the owner role", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An account with this e-mail address exists (`email_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewUser>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let mut new = new_member(&body.0)?;
    check_grant(&scope, new.role)?;
    new.password_hash = hash_off_thread(body.0.password).await?;
    let created_member = members::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/users/{}", created_member.membership.user_id);
    let version = created_member.membership.version;
    Ok(created(&to_body(created_member), version, location))
}

/// Get a user
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = User, headers(("ETag" = String))),
        (status = 404, description = "No such member of this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/users/{id}")]
async fn get_user(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let found = members::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = found.membership.version;
    Ok(ok_versioned(&to_body(found), version))
}

fn member_changes(body: UserPatch) -> Result<members::MemberChanges, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let name = body.name.map(|name| name.trim().to_owned());
    if name.as_deref() == Some("") {
        errors.push(blank_name());
    }
    let title = clean_patch(body.title);
    check_length(
        "title",
        title.clone().flatten().as_deref(),
        200,
        &mut errors,
    );
    let time_zone = body.time_zone.map(|time_zone| time_zone.trim().to_owned());
    check_time_zone(time_zone.as_deref(), &mut errors);
    let locale = body.locale.map(|locale| locale.trim().to_owned());
    check_locale(locale.as_deref(), &mut errors);
    reject_fields(errors)?;
    Ok(members::MemberChanges {
        name,
        role: body.role.map(role_in),
        team_id: body.team_id,
        title,
        time_zone,
        locale,
    })
}

/// Update a user
///
/// Members may change their own `name`, `time_zone` and `locale`. Changing anything else,
/// or another member, needs an owner or admin, and only an owner changes an owner or
/// grants the `owner` role. The last owner cannot be demoted (409 `last_owner`). Send the
/// ETag as `If-Match` to get 412 when someone else changed the user first.
#[utoipa::path(
    tag = "users",
    request_body = UserPatch,
    params(
        ("id" = Uuid, Path, description = "User id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated user", body = User, headers(("ETag" = String))),
        (status = 403, description = "Not allowed to make this change", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The change would leave the organization without an owner", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The user changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<UserPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.scope;
    let user_id = id.into_inner();
    let changes = member_changes(body.0)?;
    let target = members::get(&state.db, &scope, user_id).await?;
    authorize_update(&scope, &target, &changes)?;
    // The permission check read `target`, so the write is pinned to that version.
    let expected = if_match.0.or(Some(target.membership.version));
    let updated = members::update(&state.db, &scope, user_id, expected, changes, describe).await?;
    let version = updated.membership.version;
    Ok(ok_versioned(&to_body(updated), version))
}

/// Remove a user
///
/// Needs an owner or admin, and only an owner removes an owner. Removes the membership
/// (soft delete) and revokes the member's refresh tokens. An access token already issued
/// stays valid until it expires. Removing yourself or the last owner is rejected with 409.
/// `POST /users/{id}/restore` brings the member back.
#[utoipa::path(
    tag = "users",
    params(
        ("id" = Uuid, Path, description = "User id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being removed"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not allowed to remove this member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Removing yourself (`cannot_remove_self`) or the last owner (`last_owner`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The user changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/users/{id}")]
async fn delete_user(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let user_id = id.into_inner();
    let target = members::get(&state.db, &scope, user_id).await?;
    check_manages(&scope, &target)?;
    let expected = if_match.0.or(Some(target.membership.version));
    members::delete(&state.db, &scope, user_id, expected).await?;
    Ok(no_content())
}

/// Restore a removed user
///
/// Needs an owner or admin, and only an owner restores an owner.
#[utoipa::path(
    tag = "users",
    params(
        ("id" = Uuid, Path, description = "User id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the removed version"),
    ),
    responses(
        (status = 200, description = "The restored user", body = User, headers(("ETag" = String))),
        (status = 403, description = "Not allowed to restore this member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The user is not removed", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The user changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/users/{id}/restore")]
async fn restore_user(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let user_id = id.into_inner();
    let target = members::get_including_deleted(&state.db, &scope, user_id).await?;
    check_manages(&scope, &target)?;
    let expected = if_match.0.or(Some(target.membership.version));
    let restored = members::restore(&state.db, &scope, user_id, expected).await?;
    let version = restored.membership.version;
    Ok(ok_versioned(&to_body(restored), version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zone_shapes() {
        let cases = [
            ("UTC", true),
            ("Asia/Shanghai", true),
            ("America/Argentina/Buenos_Aires", true),
            ("Etc/GMT+8", true),
            ("America/Port-au-Prince", true),
            ("", false),
            ("utc", false),
            ("Shanghai", false),
            ("asia/shanghai", false),
            ("Asia/", false),
            ("/Shanghai", false),
            ("Asia//Shanghai", false),
            ("Asia/Shang hai", false),
            ("Asia/Shanghai;DROP", false),
        ];
        for (name, expected) in cases {
            assert_eq!(is_plausible_time_zone(name), expected, "{name:?}");
        }
    }

    fn scope(role: Role) -> Scope {
        Scope::organization(Uuid::nil(), Uuid::now_v7(), role)
    }

    fn target(role: Role, user_id: Uuid) -> MemberRecord {
        let now = domain::time::now_utc();
        MemberRecord {
            membership: persistence::entities::membership::Model {
                id: Uuid::now_v7(),
                org_id: Uuid::nil(),
                version: 1,
                created_at: now,
                updated_at: now,
                deleted_at: None,
                user_id,
                role: role.as_str().to_owned(),
                team_id: None,
                title: None,
            },
            account: persistence::entities::user::Model {
                id: user_id,
                email: Some("li.wei@example.com".to_owned()),
                name: "Li Wei".to_owned(),
                password_hash: None,
                time_zone: "UTC".to_owned(),
                locale: "en".to_owned(),
                created_at: now,
                updated_at: now,
            },
        }
    }

    fn rename() -> members::MemberChanges {
        members::MemberChanges {
            name: Some("Wei".to_owned()),
            ..Default::default()
        }
    }

    fn promote(role: Role) -> members::MemberChanges {
        members::MemberChanges {
            role: Some(role),
            ..Default::default()
        }
    }

    #[test]
    fn viewer_may_rename_self_only() {
        let actor = scope(Role::Viewer);
        let me = target(Role::Viewer, actor.user_id);
        let other = target(Role::Rep, Uuid::now_v7());
        assert!(authorize_update(&actor, &me, &rename()).is_ok());
        assert!(authorize_update(&actor, &other, &rename()).is_err());
        assert!(authorize_update(&actor, &me, &promote(Role::Rep)).is_err());
    }

    #[test]
    fn admin_cannot_grant_owner() {
        let actor = scope(Role::Admin);
        let rep = target(Role::Rep, Uuid::now_v7());
        assert!(authorize_update(&actor, &rep, &promote(Role::Manager)).is_ok());
        assert!(authorize_update(&actor, &rep, &promote(Role::Owner)).is_err());
    }

    #[test]
    fn admin_cannot_manage_owner() {
        let actor = scope(Role::Admin);
        let owner = target(Role::Owner, Uuid::now_v7());
        assert!(authorize_update(&actor, &owner, &rename()).is_err());
        assert!(check_manages(&actor, &owner).is_err());
        assert!(check_manages(&scope(Role::Owner), &owner).is_ok());
    }
}
