//! The line items of a deal with their total, adding and removing items.

use api_types::Money;
use api_types::deals::{Deal, DealPatch, LineItem, NewLineItem};
use rust_decimal::Decimal;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::field::{Field, bind};
use super::remote::error_message;
use crate::api::{self, ApiError};
use crate::hooks::use_i18n;
use crate::i18n::Key;
use crate::shared::Shared;
use crate::view_model::fields::FieldErrors;

/// Converts a stored line item back into the request form, to resend the list with a change.
fn as_new(item: &LineItem) -> NewLineItem {
    NewLineItem {
        product_id: item.product_id,
        name: Some(item.name.clone()),
        quantity: item.quantity.parse().unwrap_or(Decimal::ONE),
        unit_price: item.unit_price.clone(),
    }
}

/// Sums quantity times unit price over the items, at the scale of the unit prices.
fn total_of(deal: &Deal) -> Money {
    let mut total: Decimal = deal
        .line_items
        .iter()
        .map(|item| item.quantity.parse::<Decimal>().unwrap_or_default() * item.unit_price.amount)
        .sum();
    let scale = deal
        .line_items
        .first()
        .map_or(2, |item| item.unit_price.amount.scale());
    total.rescale(scale);
    Money {
        amount: total,
        currency: deal.currency.clone(),
    }
}

#[derive(Properties, PartialEq)]
pub struct LineItemsProps {
    pub deal: Shared<Deal>,
    pub on_saved: Callback<Deal>,
}

#[function_component]
pub fn LineItems(props: &LineItemsProps) -> Html {
    let i18n = use_i18n();
    let errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiError>);
    let sending = use_state(|| false);
    let existing: Vec<NewLineItem> = props.deal.line_items.iter().map(as_new).collect();

    let save = {
        let (deal, on_saved) = (props.deal.clone(), props.on_saved.clone());
        let (errors, failure, sending) = (errors.clone(), failure.clone(), sending.clone());
        Callback::from(move |items: Vec<NewLineItem>| {
            let patch = DealPatch {
                line_items: Some(items),
                ..DealPatch::default()
            };
            let (id, version) = (deal.id, deal.version);
            let (errors, failure, sending) = (errors.clone(), failure.clone(), sending.clone());
            let on_saved = on_saved.clone();
            sending.set(true);
            spawn_local(async move {
                let result = api::deals::update_deal(id, version, patch).await;
                sending.set(false);
                errors.set(
                    result
                        .as_ref()
                        .err()
                        .map(FieldErrors::from_error)
                        .unwrap_or_default(),
                );
                match result {
                    Ok(saved) => {
                        failure.set(None);
                        on_saved.emit(saved);
                    }
                    Err(error) => failure.set(Some(error)),
                }
            });
        })
    };
    let on_add = {
        let (save, existing) = (save.clone(), existing.clone());
        Callback::from(move |item: NewLineItem| {
            save.emit(existing.iter().cloned().chain([item]).collect())
        })
    };

    let rows = props.deal.line_items.iter().enumerate().map(|(index, item)| {
        let (save, mut rest) = (save.clone(), existing.clone());
        rest.remove(index);
        let remove = Callback::from(move |_: MouseEvent| save.emit(rest.clone()));
        html! {
            <tr key={item.id.to_string()}>
                <td data-label={i18n.t(Key::Item)}>{ &item.name }</td>
                <td data-label={i18n.t(Key::Quantity)} class="number">{ &item.quantity }</td>
                <td data-label={i18n.t(Key::UnitPrice)} class="number">{ i18n.money(&item.unit_price) }</td>
                <td><button class="button subtle" onclick={remove}>{ i18n.t(Key::Remove) }</button></td>
            </tr>
        }
    });
    let failure_text = failure
        .as_ref()
        .filter(|error| error.status() != Some(422))
        .map(|error| error_message(&i18n, error));
    html! {
        <section class="card">
            <h2>{ i18n.t(Key::LineItems) }</h2>
            <table class="table responsive"><tbody>{ for rows }</tbody></table>
            <p class="line-total">
                { i18n.t(Key::Total) }{ " " }<strong>{ i18n.money(&total_of(&props.deal)) }</strong>
            </p>
            <AddLineItem currency={props.deal.currency.clone()} version={props.deal.version}
                errors={(*errors).clone()} sending={*sending} {on_add} />
            { for failure_text.map(|text| html! { <p class="form-error" role="alert">{ text }</p> }) }
        </section>
    }
}

#[derive(Clone, Default, PartialEq)]
struct ItemDraft {
    name: String,
    quantity: String,
    unit_price: String,
}

impl ItemDraft {
    fn empty() -> ItemDraft {
        ItemDraft {
            quantity: "1".to_owned(),
            ..ItemDraft::default()
        }
    }

    /// Reads the inputs as a line item in `currency`, or the errors of inputs that are not
    /// numbers.
    fn to_item(&self, currency: &str) -> Result<NewLineItem, FieldErrors> {
        let mut errors = FieldErrors::default();
        let quantity = self.quantity.trim().parse::<Decimal>();
        if quantity.is_err() {
            errors.add(
                "quantity",
                format!("{:?} is not a number, such as 2", self.quantity),
            );
        }
        let price = self.unit_price.trim().replace(',', "").parse::<Decimal>();
        if price.is_err() {
            errors.add(
                "unit_price",
                format!("{:?} is not a number, such as 99.50", self.unit_price),
            );
        }
        let (Ok(quantity), Ok(amount)) = (quantity, price) else {
            return Err(errors);
        };
        Ok(NewLineItem {
            product_id: None,
            name: Some(self.name.trim().to_owned()).filter(|name| !name.is_empty()),
            quantity,
            unit_price: Money {
                amount,
                currency: currency.to_owned(),
            },
        })
    }
}

#[derive(Properties, PartialEq)]
struct AddLineItemProps {
    currency: String,
    /// The deal's version; a new one clears the inputs, because the item was saved.
    version: i64,
    /// The server's errors for the last save.
    errors: FieldErrors,
    sending: bool,
    on_add: Callback<NewLineItem>,
}

#[function_component]
fn AddLineItem(props: &AddLineItemProps) -> Html {
    let i18n = use_i18n();
    let draft = use_state(ItemDraft::empty);
    let local = use_state(FieldErrors::default);
    {
        let (draft, local) = (draft.clone(), local.clone());
        use_effect_with(props.version, move |_| {
            draft.set(ItemDraft::empty());
            local.set(FieldErrors::default());
        });
    }
    let onsubmit = {
        let (draft, local) = (draft.clone(), local.clone());
        let (currency, on_add) = (props.currency.clone(), props.on_add.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match draft.to_item(&currency) {
                Ok(item) => {
                    local.set(FieldErrors::default());
                    on_add.emit(item);
                }
                Err(errors) => local.set(errors),
            }
        })
    };
    let errors = |field: &str| {
        let mut messages = local.for_field(field);
        messages.extend(props.errors.for_field(field));
        messages
    };
    html! {
        <form class="inline-form" {onsubmit} novalidate=true>
            <Field label={i18n.t(Key::Item)} input_id="item-name" errors={errors("line_items")}>
                <input id="item-name" value={draft.name.clone()}
                    oninput={bind::<_, InputEvent>(&draft, |d, v| d.name = v)} />
            </Field>
            <Field label={i18n.t(Key::Quantity)} input_id="item-quantity" errors={errors("quantity")}>
                <input id="item-quantity" inputmode="decimal" value={draft.quantity.clone()}
                    oninput={bind::<_, InputEvent>(&draft, |d, v| d.quantity = v)} />
            </Field>
            <Field label={i18n.t(Key::UnitPrice)} input_id="item-price" errors={errors("unit_price")}>
                <input id="item-price" inputmode="decimal" value={draft.unit_price.clone()}
                    oninput={bind::<_, InputEvent>(&draft, |d, v| d.unit_price = v)} />
            </Field>
            <button class="button" type="submit" disabled={props.sending}>{ i18n.t(Key::AddItem) }</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_inputs_become_line_item() {
        let draft = ItemDraft {
            name: " Annual license ".to_owned(),
            quantity: "12".to_owned(),
            unit_price: "1,250.50".to_owned(),
        };
        let Ok(item) = draft.to_item("EUR") else {
            panic!("the inputs are valid");
        };
        assert_eq!(item.name.as_deref(), Some("Annual license"));
        assert_eq!(item.quantity.to_string(), "12");
        assert_eq!(item.unit_price.amount.to_string(), "1250.50");
        assert_eq!(item.unit_price.currency, "EUR");
    }

    #[test]
    fn item_inputs_report_each_bad_number() {
        let draft = ItemDraft {
            name: String::new(),
            quantity: "two".to_owned(),
            unit_price: "cheap".to_owned(),
        };
        let Err(errors) = draft.to_item("USD") else {
            panic!("the inputs are invalid");
        };
        assert_eq!(errors.for_field("quantity").len(), 1);
        assert_eq!(errors.for_field("unit_price").len(), 1);
    }
}
