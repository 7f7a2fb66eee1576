//! `/activities`: notes, calls, meetings, visits and e-mails.

use api_types::Page;
use api_types::activities::{Activity, NewActivity};
use gloo_net::http::Method;
use serde::Serialize;
use uuid::Uuid;

use super::{ApiError, Call, get_json, query_string, read_json, send};

/// Filters and page of the activity list, the latest first by default.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ActivityQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
}

/// Reads one page of activities.
pub async fn list_activities(query: &ActivityQuery) -> Result<Page<Activity>, ApiError> {
    get_json(format!("/activities{}", query_string(query))).await
}

/// Logs an activity.
pub async fn create_activity(activity: &NewActivity) -> Result<Activity, ApiError> {
    let call = Call::with_json(Method::POST, "/activities", activity)?;
    read_json(send(call).await?).await
}
