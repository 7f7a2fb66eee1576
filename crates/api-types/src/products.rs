use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;
use validator::Validate;

use crate::Money;
use crate::patch;

/// Something the organization sells.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: Uuid,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "GTX 9000 industrial controller")
    )]
    pub name: String,
    /// Product line or family, kept as entered.
    #[cfg_attr(feature = "openapi", schema(example = "GTX"))]
    pub product_line: Option<String>,
    /// Stock-keeping unit, unique among the organization's products.
    #[cfg_attr(feature = "openapi", schema(example = "GTX-9000"))]
    pub sku: Option<String>,
    pub list_price: Money,
    /// Whether the product is still sold.
    pub active: bool,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

fn active_by_default() -> bool {
    true
}

/// The fields of a new product.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewProduct {
    #[validate(length(min = 1, max = 300, message = "name must be 1 to 300 characters"))]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "GTX 9000 industrial controller")
    )]
    pub name: String,
    #[validate(length(max = 200, message = "product_line must be at most 200 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "GTX"))]
    pub product_line: Option<String>,
    #[validate(length(max = 100, message = "sku must be at most 100 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "GTX-9000"))]
    pub sku: Option<String>,
    pub list_price: Money,
    /// `true` when omitted.
    #[serde(default = "active_by_default")]
    #[cfg_attr(feature = "openapi", schema(default = true))]
    pub active: bool,
}

/// A partial update of a product: omitted fields stay, `null` clears a nullable field.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
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
    pub product_line: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub sku: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Money>))]
    pub list_price: Option<Money>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<bool>))]
    pub active: Option<bool>,
}
