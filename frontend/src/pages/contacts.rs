//! The contact list with search and keyset "load more".

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, contacts::ContactQuery};
use crate::components::deal_contacts::contact_name;
use crate::components::field::event_value;
use crate::components::load_more::LoadMore;
use crate::components::remote::{Failed, Loading};
use crate::hooks::{PageStatus, use_directory, use_i18n, use_paged};
use crate::i18n::Key;
use crate::route::Route;

#[function_component]
pub fn ContactsPage() -> Html {
    let (i18n, directory) = (use_i18n(), use_directory());
    let query = use_state(|| ContactQuery {
        limit: Some(50),
        with_total: true,
        ..ContactQuery::default()
    });
    let text = use_state(String::new);
    let list = use_paged((*query).clone(), |query: ContactQuery, cursor| async move {
        api::contacts::list_contacts(&ContactQuery { cursor, ..query }).await
    });
    let onsubmit = {
        let (query, text) = (query.clone(), text.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            query.set(ContactQuery {
                q: Some(text.trim().to_owned()).filter(|q| !q.is_empty()),
                ..(*query).clone()
            });
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| text.set(event_value(&event)))
    };
    let dash = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".to_owned());
    let rows = list.rows.iter().map(|contact| html! {
        <tr key={contact.id.to_string()}>
            <td data-label={i18n.t(Key::ContactName)} class="primary-cell">
                <Link<Route> to={Route::Contact { id: contact.id }}>{ contact_name(contact) }</Link<Route>>
            </td>
            <td data-label={i18n.t(Key::JobTitle)}>{ dash(&contact.title) }</td>
            <td data-label={i18n.t(Key::Company)}>{ directory.name(contact.company_id).unwrap_or("—") }</td>
            <td data-label={i18n.t(Key::Email)}>{ dash(&contact.email) }</td>
            <td data-label={i18n.t(Key::Phone)}>{ dash(&contact.phone) }</td>
        </tr>
    });
    let body = match &list.status {
        PageStatus::Loading => html! { <Loading /> },
        PageStatus::Failed(error) => {
            html! { <Failed error={error.clone()} retry={list.reload.clone()} /> }
        }
        _ if list.rows.is_empty() => html! { <p class="muted">{ i18n.t(Key::NoContacts) }</p> },
        _ => html! {
            <table class="table responsive">
                <thead><tr>
                    <th scope="col">{ i18n.t(Key::ContactName) }</th><th scope="col">{ i18n.t(Key::JobTitle) }</th>
                    <th scope="col">{ i18n.t(Key::Company) }</th><th scope="col">{ i18n.t(Key::Email) }</th>
                    <th scope="col">{ i18n.t(Key::Phone) }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        },
    };
    let total = list
        .total
        .map(|total| i18n.fill(Key::ContactsFound, &[("count", &i18n.count(total))]));
    html! {
        <section class="page">
            <div class="page-head">
                <h1>{ i18n.t(Key::NavContacts) }</h1>
                { for total.map(|total| html! { <span class="muted">{ total }</span> }) }
            </div>
            <form class="filters" {onsubmit} role="search">
                <input type="search" placeholder={i18n.t(Key::SearchContacts)} aria-label={i18n.t(Key::SearchContacts)} value={(*text).clone()} {oninput} />
                <button class="button" type="submit">{ i18n.t(Key::Search) }</button>
            </form>
            { body }
            <LoadMore status={list.status.clone()} has_more={list.has_more} on_load={list.load_more.clone()} />
        </section>
    }
}
