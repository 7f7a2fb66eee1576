use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;
use validator::Validate;

use crate::Money;
use crate::patch;

/// A company a team sells to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Company {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Acme Corporation"))]
    pub name: String,
    /// Sector or customer type, kept as entered.
    #[cfg_attr(feature = "openapi", schema(example = "technology"))]
    pub industry: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "United States"))]
    pub country: Option<String>,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub annual_revenue: Option<Money>,
    pub employees: Option<i64>,
    pub year_established: Option<i32>,
    /// The company this one is a subsidiary of.
    pub parent_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

/// The fields of a new company.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCompany {
    #[validate(length(min = 1, max = 300, message = "name must be 1 to 300 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Acme Corporation"))]
    pub name: String,
    #[validate(length(max = 200, message = "industry must be at most 200 characters"))]
    #[serde(default)]
    pub industry: Option<String>,
    #[validate(length(max = 200, message = "country must be at most 200 characters"))]
    #[serde(default)]
    pub country: Option<String>,
    #[validate(length(max = 500, message = "website must be at most 500 characters"))]
    #[serde(default)]
    pub website: Option<String>,
    #[validate(length(max = 50, message = "phone must be at most 50 characters"))]
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub annual_revenue: Option<Money>,
    #[validate(range(min = 0, message = "employees must not be negative"))]
    #[serde(default)]
    pub employees: Option<i64>,
    #[validate(range(
        min = 1000,
        max = 9999,
        message = "year_established must be a four-digit year"
    ))]
    #[serde(default)]
    pub year_established: Option<i32>,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub owner_id: Option<Uuid>,
}

/// A partial update of a company: omitted fields stay, `null` clears a field.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompanyPatch {
    #[validate(length(min = 1, max = 300, message = "name must be 1 to 300 characters"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub industry: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub country: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub website: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Money>))]
    pub annual_revenue: Option<Option<Money>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub employees: Option<Option<i64>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub year_established: Option<Option<i32>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub parent_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub owner_id: Option<Option<Uuid>>,
}
