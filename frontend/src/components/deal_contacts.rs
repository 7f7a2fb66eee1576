//! The contacts linked to a deal, with adding one of the company's contacts and removing.

use api_types::contacts::Contact;
use api_types::deals::{Deal, DealPatch};
use futures_util::future::try_join_all;
use uuid::Uuid;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::field::event_value;
use super::remote::{error_message, remote_view};
use crate::api::contacts::ContactQuery;
use crate::api::{self, ApiError};
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::Key;
use crate::route::Route;
use crate::shared::Shared;

/// Returns a contact's full name.
pub fn contact_name(contact: &Contact) -> String {
    format!("{} {}", contact.first_name, contact.last_name)
        .trim()
        .to_owned()
}

/// Loads the linked contacts and the other contacts of the deal's company.
async fn load(
    ids: Vec<Uuid>,
    company_id: Option<Uuid>,
) -> Result<(Vec<Contact>, Vec<Contact>), ApiError> {
    let linked = try_join_all(ids.iter().map(|id| api::contacts::get_contact(*id))).await?;
    let Some(company_id) = company_id else {
        return Ok((linked, Vec::new()));
    };
    let query = ContactQuery {
        limit: Some(200),
        company_id: Some(company_id),
        ..ContactQuery::default()
    };
    let others = api::contacts::list_contacts(&query).await?.data;
    let others = others
        .into_iter()
        .filter(|contact| !ids.contains(&contact.id))
        .collect();
    Ok((linked, others))
}

#[derive(Properties, PartialEq)]
pub struct DealContactsProps {
    pub deal: Shared<Deal>,
    pub on_saved: Callback<Deal>,
}

#[function_component]
pub fn DealContacts(props: &DealContactsProps) -> Html {
    let i18n = use_i18n();
    let contacts = use_remote(
        (props.deal.contact_ids.clone(), props.deal.company_id),
        |(ids, company)| load(ids, company),
    );
    let chosen = use_state(String::new);
    let failure = use_state(|| None::<ApiError>);
    let sending = use_state(|| false);
    let save = {
        let (deal, failure, on_saved) =
            (props.deal.clone(), failure.clone(), props.on_saved.clone());
        let sending = sending.clone();
        Callback::from(move |contact_ids: Vec<Uuid>| {
            let (id, version) = (deal.id, deal.version);
            let (failure, on_saved, sending) = (failure.clone(), on_saved.clone(), sending.clone());
            let patch = DealPatch {
                contact_ids: Some(contact_ids),
                ..DealPatch::default()
            };
            sending.set(true);
            spawn_local(async move {
                let result = api::deals::update_deal(id, version, patch).await;
                sending.set(false);
                match result {
                    Ok(saved) => {
                        failure.set(None);
                        on_saved.emit(saved)
                    }
                    Err(error) => failure.set(Some(error)),
                }
            });
        })
    };
    let ids = props.deal.contact_ids.clone();
    let content = remote_view(&contacts.state, &contacts.reload, |loaded| {
        let (linked, others) = &**loaded;
        let rows = linked.iter().map(|contact| {
            let (save, rest) = (save.clone(), ids.iter().copied().filter(|id| *id != contact.id).collect::<Vec<_>>());
            html! {
                <li key={contact.id.to_string()}>
                    <Link<Route> to={Route::Contact { id: contact.id }}>{ contact_name(contact) }</Link<Route>>
                    <span class="muted">{ contact.title.clone().unwrap_or_default() }</span>
                    <button class="button subtle" disabled={*sending} onclick={move |_| save.emit(rest.clone())}>{ i18n.t(Key::Remove) }</button>
                </li>
            }
        });
        let add = {
            let (save, chosen, ids) = (save.clone(), chosen.clone(), ids.clone());
            Callback::from(move |_: MouseEvent| {
                if let Ok(id) = chosen.parse::<Uuid>() {
                    save.emit(ids.iter().copied().chain([id]).collect());
                }
            })
        };
        let onchange = {
            let chosen = chosen.clone();
            Callback::from(move |event: Event| chosen.set(event_value(&event)))
        };
        html! {
            <>
                <ul class="plain-list">{ for rows }</ul>
                if linked.is_empty() { <p class="muted">{ i18n.t(Key::NoContacts) }</p> }
                if !others.is_empty() {
                    <div class="inline-form">
                        <select aria-label={i18n.t(Key::AddContact)} {onchange}>
                            <option value="">{ i18n.t(Key::ChooseContact) }</option>
                            { for others.iter().map(|c| html! { <option value={c.id.to_string()}>{ contact_name(c) }</option> }) }
                        </select>
                        <button class="button" disabled={*sending} onclick={add}>{ i18n.t(Key::AddContact) }</button>
                    </div>
                }
            </>
        }
    });
    html! {
        <section class="card">
            <h2>{ i18n.t(Key::Contacts) }</h2>
            { content }
            { for failure.as_ref().map(|error| html! { <p class="form-error" role="alert">{ error_message(&i18n, error) }</p> }) }
        </section>
    }
}
