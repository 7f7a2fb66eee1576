use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An exact amount of money. The amount is a decimal string so that no client parses it as
/// a floating-point number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// Decimal amount with at most as many decimal places as the currency has.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12500.00"))]
    pub amount: Decimal,
    /// ISO 4217 currency code.
    #[cfg_attr(feature = "openapi", schema(example = "USD"))]
    pub currency: String,
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` to fetch the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// Number of matching rows, present when the request set `with_total=true`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub total: Option<u64>,
}

/// An RFC 9457 problem detail, the body of every error response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// URI reference that names the problem type.
    #[serde(rename = "type")]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "urn:dealbook:problem:validation_failed")
    )]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(example = "Validation failed"))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(example = 422))]
    pub status: u16,
    /// What went wrong and how to fix it.
    pub detail: String,
    /// Stable, machine-readable error code.
    #[cfg_attr(feature = "openapi", schema(example = "validation_failed"))]
    pub code: String,
    /// Path of the request that failed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance: Option<String>,
    /// The rejected fields, on 422 responses.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<ProblemField>,
}

/// One rejected field of a request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemField {
    /// Name of the field, with a dotted path for nested fields.
    #[cfg_attr(feature = "openapi", schema(example = "amount.currency"))]
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(example = "unknown_currency"))]
    pub code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "unknown currency code \"XYZ\": use an ISO 4217 code such as USD, EUR or CNY"
        )
    )]
    pub message: String,
}
