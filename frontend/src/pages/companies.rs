//! The company list with search and keyset "load more".

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, companies::CompanyQuery};
use crate::components::field::event_value;
use crate::components::load_more::LoadMore;
use crate::components::remote::{Failed, Loading};
use crate::hooks::{PageStatus, use_directory, use_i18n, use_paged};
use crate::i18n::Key;
use crate::route::Route;

#[function_component]
pub fn CompaniesPage() -> Html {
    let (i18n, directory) = (use_i18n(), use_directory());
    let query = use_state(|| CompanyQuery {
        limit: Some(50),
        sort: Some("name".to_owned()),
        with_total: true,
        ..CompanyQuery::default()
    });
    let text = use_state(String::new);
    let list = use_paged((*query).clone(), |query: CompanyQuery, cursor| async move {
        api::companies::list_companies(&CompanyQuery { cursor, ..query }).await
    });
    let onsubmit = {
        let (query, text) = (query.clone(), text.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            query.set(CompanyQuery {
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
    let rows = list.rows.iter().map(|company| html! {
        <tr key={company.id.to_string()}>
            <td data-label={i18n.t(Key::CompanyName)} class="primary-cell">
                <Link<Route> to={Route::Company { id: company.id }}>{ &company.name }</Link<Route>>
            </td>
            <td data-label={i18n.t(Key::Industry)}>{ dash(&company.industry) }</td>
            <td data-label={i18n.t(Key::Country)}>{ dash(&company.country) }</td>
            <td data-label={i18n.t(Key::Employees)} class="number">{ company.employees.map_or("—".to_owned(), |n| i18n.count(n.max(0) as u64)) }</td>
            <td data-label={i18n.t(Key::Owner)}>{ directory.name(company.owner_id).unwrap_or("—") }</td>
        </tr>
    });
    let body = match &list.status {
        PageStatus::Loading => html! { <Loading /> },
        PageStatus::Failed(error) => {
            html! { <Failed error={error.clone()} retry={list.reload.clone()} /> }
        }
        _ if list.rows.is_empty() => html! { <p class="muted">{ i18n.t(Key::NoCompanies) }</p> },
        _ => html! {
            <table class="table responsive">
                <thead><tr>
                    <th scope="col">{ i18n.t(Key::CompanyName) }</th><th scope="col">{ i18n.t(Key::Industry) }</th>
                    <th scope="col">{ i18n.t(Key::Country) }</th><th scope="col">{ i18n.t(Key::Employees) }</th>
                    <th scope="col">{ i18n.t(Key::Owner) }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        },
    };
    let total = list
        .total
        .map(|total| i18n.fill(Key::CompaniesFound, &[("count", &i18n.count(total))]));
    html! {
        <section class="page">
            <div class="page-head">
                <h1>{ i18n.t(Key::NavCompanies) }</h1>
                { for total.map(|total| html! { <span class="muted">{ total }</span> }) }
            </div>
            <form class="filters" {onsubmit} role="search">
                <input type="search" placeholder={i18n.t(Key::SearchCompanies)} aria-label={i18n.t(Key::SearchCompanies)} value={(*text).clone()} {oninput} />
                <button class="button" type="submit">{ i18n.t(Key::Search) }</button>
            </form>
            { body }
            <LoadMore status={list.status.clone()} has_more={list.has_more} on_load={list.load_more.clone()} />
        </section>
    }
}
