//! `/deals`: the sales projects.

use api_types::Page;
use api_types::deals::{Deal, DealHistory, DealPatch, DealStatus};
use gloo_net::http::Method;
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::patch::{insert_present, insert_present_date};
use super::{ApiError, Call, get_json, query_string, read_json, send};

/// Filters, sort and page of the deal list.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DealQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending.
    pub sort: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub with_total: bool,
    pub q: Option<String>,
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub status: Option<DealStatus>,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    /// Last expected close date, `YYYY-MM-DD`, inclusive.
    pub expected_close_to: Option<String>,
}

/// Reads one page of deals.
pub async fn list_deals(query: &DealQuery) -> Result<Page<Deal>, ApiError> {
    get_json(format!("/deals{}", query_string(query))).await
}

/// Reads one deal with its stage, contact ids and line items.
pub async fn get_deal(id: Uuid) -> Result<Deal, ApiError> {
    get_json(format!("/deals/{id}")).await
}

/// Applies `patch` to the deal at `version`. The server returns 412 when someone else
/// changed the deal since that version.
pub async fn update_deal(id: Uuid, version: i64, patch: DealPatch) -> Result<Deal, ApiError> {
    let call = Call::with_json(Method::PATCH, format!("/deals/{id}"), &patch_body(patch))?;
    read_json(send(call.if_match(version)).await?).await
}

/// Reads the stage transitions and field changes of a deal.
pub async fn deal_history(id: Uuid) -> Result<DealHistory, ApiError> {
    get_json(format!("/deals/{id}/history")).await
}

/// Builds the JSON of a deal patch with only its present fields.
pub fn patch_body(patch: DealPatch) -> Value {
    let DealPatch {
        name,
        pipeline_id,
        stage_id,
        owner_id,
        team_id,
        company_id,
        amount,
        currency,
        exchange_rate,
        close_exchange_rate,
        expected_close_date,
        engaged_on,
        closed_on,
        source,
        channel,
        region,
        customer_type,
        win_loss_reason,
        competitor,
        next_step,
        contact_ids,
        line_items,
    } = patch;

    let mut body = Map::new();
    insert_present(&mut body, "name", name);
    insert_present(&mut body, "pipeline_id", pipeline_id);
    insert_present(&mut body, "stage_id", stage_id);
    insert_present(&mut body, "owner_id", owner_id);
    insert_present(&mut body, "team_id", team_id);
    insert_present(&mut body, "company_id", company_id);
    insert_present(&mut body, "amount", amount);
    insert_present(&mut body, "currency", currency);
    insert_present(&mut body, "exchange_rate", exchange_rate);
    insert_present(&mut body, "close_exchange_rate", close_exchange_rate);

    insert_present_date(&mut body, "expected_close_date", expected_close_date);
    insert_present_date(&mut body, "engaged_on", engaged_on);
    insert_present_date(&mut body, "closed_on", closed_on);

    insert_present(&mut body, "source", source);
    insert_present(&mut body, "channel", channel);
    insert_present(&mut body, "region", region);
    insert_present(&mut body, "customer_type", customer_type);
    insert_present(&mut body, "win_loss_reason", win_loss_reason);
    insert_present(&mut body, "competitor", competitor);
    insert_present(&mut body, "next_step", next_step);

    insert_present(&mut body, "contact_ids", contact_ids);
    insert_present(&mut body, "line_items", line_items);
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::Money;
    use rust_decimal::Decimal;
    use time::macros::date;

    #[test]
    fn stage_move_sends_only_stage() {
        let stage = Uuid::from_u128(7);
        let patch = DealPatch {
            stage_id: Some(stage),
            ..DealPatch::default()
        };
        let expected = format!(r#"{{"stage_id":"{stage}"}}"#);
        assert_eq!(patch_body(patch).to_string(), expected);
    }

    #[test]
    fn cleared_fields_are_null() {
        let patch = DealPatch {
            amount: Some(None),
            expected_close_date: Some(None),
            ..DealPatch::default()
        };
        let body = patch_body(patch);
        assert_eq!(body["amount"], Value::Null);
        assert_eq!(body["expected_close_date"], Value::Null);
        assert_eq!(body.as_object().map(Map::len), Some(2));
    }

    #[test]
    fn dates_and_money_use_api_forms() {
        let patch = DealPatch {
            expected_close_date: Some(Some(date!(2026 - 12 - 31))),
            amount: Some(Some(Money {
                amount: Decimal::new(123_450, 2),
                currency: "CNY".to_owned(),
            })),
            ..DealPatch::default()
        };
        let body = patch_body(patch);
        assert_eq!(body["expected_close_date"], "2026-12-31");
        assert_eq!(body["amount"]["amount"], "1234.50");
        assert_eq!(body["amount"]["currency"], "CNY");
    }
}
