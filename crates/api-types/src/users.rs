use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;
use validator::Validate;

use crate::patch;

/// A member's role in the organization, from most to least privileged. Owners and admins
/// manage members, teams, products and pipelines, and viewers cannot change records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Manager,
    Rep,
    Viewer,
}

/// A member of the organization: the user account and its membership.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// The user id, which `owner_id`, `assignee_id` and `manager_id` fields refer to.
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Li Wei"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = "li.wei@example.com"))]
    pub email: Option<String>,
    pub role: Role,
    pub team_id: Option<Uuid>,
    /// Job title, kept as entered.
    #[cfg_attr(feature = "openapi", schema(example = "Key account manager"))]
    pub title: Option<String>,
    /// IANA time zone used for reminders and "today" boundaries.
    #[cfg_attr(feature = "openapi", schema(example = "Asia/Shanghai"))]
    pub time_zone: String,
    /// Language of the user interface: `en` or `zh-CN`.
    #[cfg_attr(feature = "openapi", schema(example = "zh-CN"))]
    pub locale: String,
    /// Version of the membership, which also changes when the account fields change.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// When the member was removed from the organization.
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

/// A new member: an account with a membership in the organization.
#[derive(Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[validate(length(min = 1, max = 200, message = "name must be 1 to 200 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Li Wei"))]
    pub name: String,
    /// E-mail address, unique across all accounts and stored lower-cased.
    #[validate(length(min = 3, max = 320, message = "email must be 3 to 320 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "li.wei@example.com"))]
    pub email: String,
    /// Role to grant, `rep` when omitted. Only an owner can grant `owner`.
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub team_id: Option<Uuid>,
    #[validate(length(max = 200, message = "title must be at most 200 characters"))]
    #[serde(default)]
    pub title: Option<String>,
    /// Initial password, 10 to 200 characters. Without one the member cannot sign in with
    /// a password.
    #[validate(length(min = 10, max = 200, message = "password must be 10 to 200 characters"))]
    #[serde(default)]
    pub password: Option<String>,
    /// IANA time zone such as `Asia/Shanghai`, or `UTC`. The organization's time zone when
    /// omitted.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Asia/Shanghai"))]
    pub time_zone: Option<String>,
    /// `en` or `zh-CN`, `en` when omitted.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "zh-CN"))]
    pub locale: Option<String>,
}

impl std::fmt::Debug for NewUser {
    /// Formats the body with the password masked, so `Debug` output never contains it.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("NewUser")
            .field("name", &self.name)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("team_id", &self.team_id)
            .field("title", &self.title)
            .field("password", &self.password.as_ref().map(|_| "********"))
            .field("time_zone", &self.time_zone)
            .field("locale", &self.locale)
            .finish()
    }
}

/// A partial update of a member: omitted fields stay, `null` clears a nullable field.
/// Members may change their own `name`, `time_zone` and `locale`. Every other change needs
/// an owner or admin.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[validate(length(min = 1, max = 200, message = "name must be 1 to 200 characters"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Role>))]
    pub role: Option<Role>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub team_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub title: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "Europe/Berlin"))]
    pub time_zone: Option<String>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "en"))]
    pub locale: Option<String>,
}
