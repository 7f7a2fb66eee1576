//! `/contacts`: the people the team sells to.

use api_types::Page;
use api_types::contacts::Contact;
use serde::Serialize;
use uuid::Uuid;

use super::{ApiError, get_json, query_string};

/// Filters, sort and page of the contact list.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ContactQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub with_total: bool,
    /// Text to find in the names, e-mail address or phone number.
    pub q: Option<String>,
    pub company_id: Option<Uuid>,
}

/// Reads one page of contacts.
pub async fn list_contacts(query: &ContactQuery) -> Result<Page<Contact>, ApiError> {
    get_json(format!("/contacts{}", query_string(query))).await
}

/// Reads one contact.
pub async fn get_contact(id: Uuid) -> Result<Contact, ApiError> {
    get_json(format!("/contacts/{id}")).await
}
