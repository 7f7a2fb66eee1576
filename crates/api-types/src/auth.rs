use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Creates an organization and its owner.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    #[validate(length(
        min = 1,
        max = 200,
        message = "organization_name must be 1 to 200 characters"
    ))]
    #[cfg_attr(feature = "openapi", schema(example = "Acme Trading Co."))]
    pub organization_name: String,
    #[validate(length(min = 1, max = 200, message = "name must be 1 to 200 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Li Wei"))]
    pub name: String,
    #[validate(email(message = "email must be an e-mail address such as li.wei@example.com"))]
    #[cfg_attr(feature = "openapi", schema(example = "li.wei@example.com"))]
    pub email: String,
    #[validate(length(min = 10, max = 200, message = "password must be 10 to 200 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "correct horse battery"))]
    pub password: String,
    /// ISO 4217 code of the currency that reports convert into; USD when omitted.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "CNY"))]
    pub base_currency: Option<String>,
    /// IANA time zone of the organization; UTC when omitted.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Asia/Shanghai"))]
    pub time_zone: Option<String>,
}

/// Signs in with an e-mail address and password.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 320, message = "email is required"))]
    #[cfg_attr(feature = "openapi", schema(example = "demo@example.com"))]
    pub email: String,
    #[validate(length(min = 1, max = 200, message = "password is required"))]
    pub password: String,
    /// The organization to sign in to, for a user who belongs to several.
    #[serde(default)]
    pub organization_id: Option<Uuid>,
}

/// Exchanges a refresh token for a new token pair, or revokes it on logout.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[validate(length(min = 1, max = 200, message = "refresh_token is required"))]
    pub refresh_token: String,
}

/// A new access token and refresh token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    #[cfg_attr(feature = "openapi", schema(example = 900))]
    pub expires_in: u64,
    /// Single-use token for `POST /api/v1/auth/refresh`; each use returns a new one.
    pub refresh_token: String,
    pub user_id: Uuid,
    pub organization_id: Uuid,
}

/// The signed-in user and their organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user_id: Uuid,
    pub name: String,
    pub email: Option<String>,
    /// One of owner, admin, manager, rep, viewer.
    #[cfg_attr(feature = "openapi", schema(example = "owner"))]
    pub role: String,
    pub time_zone: String,
    pub locale: String,
    pub organization: Organization,
}

/// An organization: one tenant of Dealbook.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = "USD"))]
    pub base_currency: String,
    #[cfg_attr(feature = "openapi", schema(example = "UTC"))]
    pub time_zone: String,
}
