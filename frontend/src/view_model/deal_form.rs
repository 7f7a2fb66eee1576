//! The editable fields of a deal as the form keeps them, and the patch of what changed.

use api_types::Money;
use api_types::deals::{Deal, DealPatch, calendar_date};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::fields::FieldErrors;

/// The deal form's inputs, as text the way the inputs hold them. Empty text means "none".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealDraft {
    pub name: String,
    pub stage_id: String,
    pub owner_id: String,
    pub team_id: String,
    pub company_id: String,
    pub amount: String,
    pub currency: String,
    pub exchange_rate: String,
    pub expected_close_date: String,
    pub source: String,
    pub region: String,
    pub next_step: String,
    pub competitor: String,
    pub win_loss_reason: String,
}

fn id_text(id: Option<Uuid>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Reads an optional text input: trimmed, with empty text as `None`.
fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

impl DealDraft {
    /// Fills the form from a deal.
    pub fn from_deal(deal: &Deal) -> DealDraft {
        DealDraft {
            name: deal.name.clone(),
            stage_id: deal.stage_id.to_string(),
            owner_id: id_text(deal.owner_id),
            team_id: id_text(deal.team_id),
            company_id: id_text(deal.company_id),
            amount: deal
                .amount
                .as_ref()
                .map(|money| money.amount.to_string())
                .unwrap_or_default(),
            currency: deal.currency.clone(),
            exchange_rate: deal.exchange_rate.clone(),
            expected_close_date: deal
                .expected_close_date
                .map(calendar_date::format)
                .unwrap_or_default(),
            source: text(&deal.source),
            region: text(&deal.region),
            next_step: text(&deal.next_step),
            competitor: text(&deal.competitor),
            win_loss_reason: text(&deal.win_loss_reason),
        }
    }

    /// Builds the patch of the fields that differ from `deal`, or the errors of inputs that
    /// cannot be sent, such as an amount that is not a number.
    pub fn to_patch(&self, deal: &Deal) -> Result<DealPatch, FieldErrors> {
        let original = DealDraft::from_deal(deal);
        let mut errors = FieldErrors::default();
        let mut patch = DealPatch::default();

        if self.name.trim() != original.name {
            patch.name = Some(self.name.trim().to_owned());
        }
        if self.stage_id != original.stage_id {
            patch.stage_id = parse_id("stage_id", &self.stage_id, &mut errors);
        }
        if self.owner_id != original.owner_id {
            patch.owner_id = Some(parse_optional_id("owner_id", &self.owner_id, &mut errors));
        }
        if self.team_id != original.team_id {
            patch.team_id = Some(parse_optional_id("team_id", &self.team_id, &mut errors));
        }
        if self.company_id != original.company_id {
            patch.company_id = Some(parse_optional_id(
                "company_id",
                &self.company_id,
                &mut errors,
            ));
        }

        self.money_changes(&original, &mut patch, &mut errors);
        if self.expected_close_date != original.expected_close_date {
            patch.expected_close_date = Some(parse_date(&self.expected_close_date, &mut errors));
        }
        let texts = [
            (&self.source, &original.source, &mut patch.source),
            (&self.region, &original.region, &mut patch.region),
            (&self.next_step, &original.next_step, &mut patch.next_step),
            (
                &self.competitor,
                &original.competitor,
                &mut patch.competitor,
            ),
            (
                &self.win_loss_reason,
                &original.win_loss_reason,
                &mut patch.win_loss_reason,
            ),
        ];
        for (edited, before, field) in texts {
            if edited.trim() != before.as_str() {
                *field = Some(optional(edited));
            }
        }

        match errors.is_empty() {
            true => Ok(patch),
            false => Err(errors),
        }
    }

    /// Adds the amount, currency and exchange rate changes. A new currency is sent with
    /// the amount, because the server checks that both agree.
    fn money_changes(&self, original: &DealDraft, patch: &mut DealPatch, errors: &mut FieldErrors) {
        let currency = self.currency.trim().to_uppercase();
        let currency_changed = currency != original.currency;
        if self.amount.trim() != original.amount || currency_changed {
            let amount = match optional(&self.amount) {
                None => None,
                Some(text) => match text.replace(',', "").parse::<Decimal>() {
                    Ok(amount) => Some(Money {
                        amount,
                        currency: currency.clone(),
                    }),
                    Err(_) => {
                        errors.add(
                            "amount",
                            format!("{text:?} is not a number, such as 1234.50"),
                        );
                        None
                    }
                },
            };
            patch.amount = Some(amount);
        }
        if currency_changed {
            patch.currency = Some(currency);
        }
        if self.exchange_rate.trim() != original.exchange_rate {
            match self.exchange_rate.trim().parse::<Decimal>() {
                Ok(rate) => patch.exchange_rate = Some(rate),
                Err(_) => errors.add(
                    "exchange_rate",
                    format!(
                        "{:?} is not a number, such as 1.08",
                        self.exchange_rate.trim()
                    ),
                ),
            }
        }
    }
}

fn parse_id(field: &str, text: &str, errors: &mut FieldErrors) -> Option<Uuid> {
    match text.parse::<Uuid>() {
        Ok(id) => Some(id),
        Err(_) => {
            errors.add(field, "choose a value from the list");
            None
        }
    }
}

fn parse_optional_id(field: &str, text: &str, errors: &mut FieldErrors) -> Option<Uuid> {
    match text.is_empty() {
        true => None,
        false => parse_id(field, text, errors),
    }
}

fn parse_date(text: &str, errors: &mut FieldErrors) -> Option<time::Date> {
    let text = optional(text)?;
    match calendar_date::parse(&text) {
        Ok(date) => Some(date),
        Err(message) => {
            errors.add("expected_close_date", message);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;
    use time::macros::date;

    fn deal() -> Deal {
        let now = OffsetDateTime::UNIX_EPOCH;
        Deal {
            id: Uuid::from_u128(1),
            name: "Fleet renewal".to_owned(),
            pipeline_id: Uuid::nil(),
            stage_id: Uuid::from_u128(2),
            stage: None,
            owner_id: Some(Uuid::from_u128(3)),
            team_id: None,
            company_id: None,
            amount: Some(Money {
                amount: "1000.00".parse().unwrap_or_default(),
                currency: "USD".to_owned(),
            }),
            currency: "USD".to_owned(),
            exchange_rate: "1".to_owned(),
            close_exchange_rate: None,
            expected_close_date: Some(date!(2026 - 12 - 31)),
            engaged_on: None,
            closed_on: None,
            source: Some("web".to_owned()),
            channel: None,
            region: None,
            customer_type: None,
            win_loss_reason: None,
            competitor: None,
            next_step: None,
            external_ref: None,
            contact_ids: Vec::new(),
            line_items: Vec::new(),
            version: 1,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            stage_changed_at: now,
        }
    }

    #[test]
    fn unchanged_form_sends_nothing() {
        let deal = deal();
        let patch = DealDraft::from_deal(&deal).to_patch(&deal);
        assert_eq!(
            patch.map(crate::api::deals::patch_body).ok(),
            Some(serde_json::json!({}))
        );
    }

    #[test]
    fn changed_fields_only_are_sent() {
        let deal = deal();
        let mut draft = DealDraft::from_deal(&deal);
        draft.name = "  Fleet renewal 2027 ".to_owned();
        draft.owner_id = String::new();
        draft.source = String::new();
        draft.expected_close_date = "2027-01-15".to_owned();
        let Ok(patch) = draft.to_patch(&deal) else {
            panic!("the form is valid");
        };
        assert_eq!(patch.name.as_deref(), Some("Fleet renewal 2027"));
        assert_eq!(
            patch.owner_id,
            Some(None),
            "an emptied select clears the owner"
        );
        assert_eq!(patch.source, Some(None));
        assert_eq!(patch.expected_close_date, Some(Some(date!(2027 - 01 - 15))));
        assert_eq!(patch.amount, None);
        assert_eq!(patch.stage_id, None);
    }

    #[test]
    fn currency_change_sends_amount_too() {
        let deal = deal();
        let mut draft = DealDraft::from_deal(&deal);
        draft.currency = "cny".to_owned();
        draft.exchange_rate = "0.14".to_owned();
        let Ok(patch) = draft.to_patch(&deal) else {
            panic!("the form is valid");
        };
        assert_eq!(patch.currency.as_deref(), Some("CNY"));
        let amount = patch.amount.flatten();
        assert_eq!(amount.map(|money| money.currency), Some("CNY".to_owned()));
        assert_eq!(
            patch.exchange_rate.map(|rate| rate.to_string()),
            Some("0.14".to_owned())
        );
    }

    #[test]
    fn invalid_inputs_are_reported_per_field() {
        let deal = deal();
        let mut draft = DealDraft::from_deal(&deal);
        draft.amount = "12x".to_owned();
        draft.expected_close_date = "31.12.2026".to_owned();
        let Err(errors) = draft.to_patch(&deal) else {
            panic!("the form is invalid");
        };
        assert_eq!(errors.for_field("amount").len(), 1);
        assert_eq!(errors.for_field("expected_close_date").len(), 1);
    }

    #[test]
    fn grouped_amount_is_accepted() {
        let deal = deal();
        let mut draft = DealDraft::from_deal(&deal);
        draft.amount = "1,250.50".to_owned();
        let Ok(patch) = draft.to_patch(&deal) else {
            panic!("the form is valid");
        };
        let amount = patch.amount.flatten().map(|money| money.amount.to_string());
        assert_eq!(amount, Some("1250.50".to_owned()));
    }
}
