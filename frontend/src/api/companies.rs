//! `/companies`: the organizations the team sells to.

use api_types::Page;
use api_types::companies::Company;
use serde::Serialize;
use uuid::Uuid;

use super::{ApiError, get_all, get_json, query_string};

/// Filters, sort and page of the company list.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CompanyQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub with_total: bool,
    /// Text to find in the name, website or phone number.
    pub q: Option<String>,
}

/// Reads one page of companies.
pub async fn list_companies(query: &CompanyQuery) -> Result<Page<Company>, ApiError> {
    get_json(format!("/companies{}", query_string(query))).await
}

/// Lists every live company by name.
// NOTE: the app loads every company once after sign-in, for the names of company ids and
// for the company selects. That suits a few thousand companies. Larger organizations need
// a search-as-you-type select and a lookup by ids, which the API does not have.
pub async fn list_all_companies() -> Result<Vec<Company>, ApiError> {
    get_all("/companies?limit=200&sort=name").await
}

/// Reads one company.
pub async fn get_company(id: Uuid) -> Result<Company, ApiError> {
    get_json(format!("/companies/{id}")).await
}
