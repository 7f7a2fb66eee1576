//! `/auth` and `/me`: sign-up, sign-in, token refresh and sign-out.

use actix_web::{HttpResponse, get, post, web};
use api_types::Problem;
use api_types::auth::{
    LoginRequest, Me, Organization, RefreshRequest, SignupRequest, TokenResponse,
};
use domain::Currency;
use persistence::FieldError;
use persistence::repo::auth::{self, MemberAccount, NewOrganization, Rotation};
use time::Duration;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::error::{ApiError, reject_fields};
use crate::extract::{Body, Member};
use crate::state::AppState;
use crate::tokens::{
    hash_password, hash_secret, issue_access_token, new_refresh_secret, verify_password,
};

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(signup)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(me);
}

/// A hash verified when an e-mail address is unknown, so that sign-in takes as long for
/// unknown addresses as for wrong passwords.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$2k4lsVbV1Ea3zLhh0fkE9zH8CVXt1Z4Hh3KXb3g9fuw";

/// Checks that a time zone name is in the IANA database: `UTC` or `Area/Location`.
pub fn is_time_zone_name(name: &str) -> bool {
    domain::time::is_known_time_zone(name)
}

async fn issue_tokens(
    state: &AppState,
    account: &MemberAccount,
    family_id: Uuid,
) -> Result<TokenResponse, ApiError> {
    let access_token = issue_access_token(
        &state.tokens,
        account.user.id,
        account.organization.id,
        account.role(),
    )?;
    let refresh_token = new_refresh_secret();
    let lifetime =
        Duration::seconds(i64::try_from(state.tokens.refresh_ttl_seconds).unwrap_or(i64::MAX / 2));
    auth::store_refresh_token(
        &state.db,
        account.organization.id,
        account.user.id,
        family_id,
        hash_secret(&refresh_token),
        lifetime,
    )
    .await?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: state.tokens.access_ttl_seconds,
        refresh_token,
        user_id: account.user.id,
        organization_id: account.organization.id,
    })
}

fn new_organization(
    body: SignupRequest,
    password_hash: String,
) -> Result<NewOrganization, ApiError> {
    let mut errors = Vec::new();
    let base_currency = body.base_currency.unwrap_or_else(|| "USD".to_owned());
    if let Err(error) = Currency::parse(&base_currency) {
        errors.push(FieldError::new(
            "base_currency",
            "unknown_currency",
            error.to_string(),
        ));
    }
    let time_zone = body.time_zone.unwrap_or_else(|| "UTC".to_owned());
    if !is_time_zone_name(&time_zone) {
        errors.push(FieldError::new(
            "time_zone",
            "invalid_time_zone",
            "time_zone must be an IANA time zone name such as Asia/Shanghai, or UTC",
        ));
    }
    for (field, value) in [
        ("organization_name", &body.organization_name),
        ("name", &body.name),
    ] {
        if value.trim().is_empty() {
            errors.push(FieldError::new(
                field,
                "required",
                format!("{field} must not be blank"),
            ));
        }
    }
    reject_fields(errors)?;
    Ok(NewOrganization {
        organization_name: body.organization_name.trim().to_owned(),
        base_currency,
        time_zone,
        owner_name: body.name.trim().to_owned(),
        owner_email: body.email,
        password_hash: Some(password_hash),
    })
}

/// Sign up
///
/// Creates an organization with a default sales pipeline and its owner, and signs the owner in.
#[utoipa::path(
    tag = "auth",
    request_body = SignupRequest,
    responses(
        (status = 201, description = "The organization was created; tokens for its owner", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The e-mail address already has an account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/signup")]
async fn signup(
    state: web::Data<AppState>,
    body: Body<SignupRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()?;
    let password_hash = hash_password(&body.password)?;
    let new = new_organization(body, password_hash)?;
    let stages = persistence::repo::pipelines::DEFAULT_STAGES;
    let account = auth::create_organization(&state.db, new, "Sales", &stages).await?;
    tracing::info!(org_id = %account.organization.id, user_id = %account.user.id, "organization created");
    let tokens = issue_tokens(&state, &account, domain::id::new_id()).await?;
    Ok(HttpResponse::Created().json(tokens))
}

/// Sign in
///
/// Returns a short-lived access token and a single-use refresh token.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong e-mail address or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    body: Body<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()?;
    let accounts = auth::find_accounts_by_email(&state.db, &body.email).await?;
    let account = match body.organization_id {
        Some(org_id) => accounts
            .into_iter()
            .find(|account| account.organization.id == org_id),
        None => accounts.into_iter().next(),
    };
    let stored_hash = account
        .as_ref()
        .and_then(|account| account.user.password_hash.clone());
    let verified = verify_password(&body.password, stored_hash.as_deref().unwrap_or(DUMMY_HASH));
    let Some(account) = account.filter(|_| verified && stored_hash.is_some()) else {
        tracing::debug!("sign-in rejected");
        return Err(ApiError::unauthorized(
            "invalid_credentials",
            "e-mail address or password is wrong: check both and try again",
        ));
    };
    let tokens = issue_tokens(&state, &account, domain::id::new_id()).await?;
    Ok(HttpResponse::Ok().json(tokens))
}

/// Refresh the access token
///
/// Exchanges a refresh token for a new pair. Each refresh token works once; presenting a used
/// one again revokes every token descended from the same sign-in.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, description = "The refresh token is unknown, expired, revoked or reused", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    body: Body<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()?;
    match auth::use_refresh_token(&state.db, &hash_secret(&body.refresh_token)).await? {
        Rotation::Rotated { account, family_id } => {
            let tokens = issue_tokens(&state, &account, family_id).await?;
            Ok(HttpResponse::Ok().json(tokens))
        }
        Rotation::Invalid => Err(ApiError::unauthorized(
            "invalid_refresh_token",
            "refresh token is unknown or expired: sign in again with POST /api/v1/auth/login",
        )),
        Rotation::Revoked => Err(ApiError::unauthorized(
            "refresh_token_revoked",
            "refresh token was revoked by a sign-out, a membership change or the reuse of an older token from the same sign-in: sign in again",
        )),
        Rotation::Reused => Err(ApiError::unauthorized(
            "refresh_token_reused",
            "refresh token was already used, so every token from that sign-in is revoked: sign in again",
        )),
    }
}

/// Sign out
///
/// Revokes the refresh token and every token descended from the same sign-in. Access tokens
/// already issued stay valid until they expire.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
        (status = 422, description = "Missing refresh_token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    body: Body<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()?;
    auth::revoke_refresh_token(&state.db, &hash_secret(&body.refresh_token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The signed-in user and organization", body = Me),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/me")]
async fn me(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let scope = member.scope;
    let account = auth::find_account(&state.db, scope.org_id, scope.user_id)
        .await?
        .ok_or_else(|| {
            ApiError::unauthorized(
                "membership_ended",
                "this account is no longer a member of the organization: sign in again",
            )
        })?;
    let role = account.role();
    Ok(HttpResponse::Ok().json(Me {
        user_id: account.user.id,
        name: account.user.name,
        email: account.user.email,
        role: role.as_str().to_owned(),
        time_zone: account.user.time_zone,
        locale: account.user.locale,
        organization: Organization {
            id: account.organization.id,
            name: account.organization.name,
            base_currency: account.organization.base_currency,
            time_zone: account.organization.time_zone,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zone_names() {
        assert!(is_time_zone_name("Asia/Shanghai"));
        assert!(is_time_zone_name("UTC"));
        assert!(is_time_zone_name("America/Argentina/Buenos_Aires"));
        assert!(!is_time_zone_name("Shanghai"));
        assert!(!is_time_zone_name("Asia/Shang hai"));
        assert!(!is_time_zone_name("Mars/Olympus"));
    }

    #[test]
    fn dummy_hash_parses() {
        assert!(argon2::password_hash::PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
