//! One company: its fields, contacts, deals and activities.

use api_types::companies::Company;
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, contacts::ContactQuery};
use crate::components::deal_contacts::contact_name;
use crate::components::related::{Owner, RelatedActivities, RelatedDeals};
use crate::components::remote::remote_view;
use crate::hooks::{use_directory, use_i18n, use_remote};
use crate::i18n::Key;
use crate::route::Route;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct CompanyPageProps {
    pub id: Uuid,
}

#[function_component]
pub fn CompanyPage(props: &CompanyPageProps) -> Html {
    let (i18n, directory) = (use_i18n(), use_directory());
    let company = use_remote(props.id, api::companies::get_company);
    let contacts = use_remote(props.id, |id| async move {
        let query = ContactQuery {
            limit: Some(200),
            company_id: Some(id),
            ..ContactQuery::default()
        };
        api::contacts::list_contacts(&query)
            .await
            .map(|page| page.data)
    });
    let contact_list = remote_view(&contacts.state, &contacts.reload, |contacts| {
        html! {
            <ul class="plain-list">
                { for contacts.iter().map(|contact| html! {
                    <li key={contact.id.to_string()}>
                        <Link<Route> to={Route::Contact { id: contact.id }}>{ contact_name(contact) }</Link<Route>>
                        <span class="muted">{ contact.title.clone().unwrap_or_default() }</span>
                    </li>
                }) }
                if contacts.is_empty() { <li class="muted">{ i18n.t(Key::NoContacts) }</li> }
            </ul>
        }
    });
    let id = props.id;
    remote_view(
        &company.state,
        &company.reload,
        |company: &Shared<Company>| {
            let facts = [
                (Key::Industry, company.industry.clone()),
                (Key::Country, company.country.clone()),
                (Key::Website, company.website.clone()),
                (Key::Phone, company.phone.clone()),
                (
                    Key::Employees,
                    company.employees.map(|n| i18n.count(n.max(0) as u64)),
                ),
                (
                    Key::YearEstablished,
                    company.year_established.map(|year| year.to_string()),
                ),
                (
                    Key::AnnualRevenue,
                    company
                        .annual_revenue
                        .as_ref()
                        .map(|money| i18n.money(money)),
                ),
                (
                    Key::Owner,
                    directory.name(company.owner_id).map(str::to_owned),
                ),
                (
                    Key::ParentCompany,
                    directory.name(company.parent_id).map(str::to_owned),
                ),
            ];
            html! {
                <section class="page">
                    <div class="page-head"><h1>{ &company.name }</h1></div>
                    <div class="two-columns">
                        <div class="stack">
                            <section class="card">
                                <h2>{ i18n.t(Key::Details) }</h2>
                                <dl class="facts">
                                    { for facts.into_iter().map(|(key, value)| html! {
                                        <><dt>{ i18n.t(key) }</dt><dd>{ value.unwrap_or_else(|| "—".to_owned()) }</dd></>
                                    }) }
                                </dl>
                            </section>
                            <section class="card"><h2>{ i18n.t(Key::Contacts) }</h2>{ contact_list }</section>
                            <RelatedDeals owner={Owner::Company(id)} />
                        </div>
                        <RelatedActivities owner={Owner::Company(id)} />
                    </div>
                </section>
            }
        },
    )
}
