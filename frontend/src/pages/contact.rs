//! One contact: their fields, deals and activities.

use api_types::contacts::Contact;
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::deal_contacts::contact_name;
use crate::components::related::{Owner, RelatedActivities, RelatedDeals};
use crate::components::remote::remote_view;
use crate::hooks::{use_directory, use_i18n, use_remote};
use crate::i18n::Key;
use crate::route::Route;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct ContactPageProps {
    pub id: Uuid,
}

#[function_component]
pub fn ContactPage(props: &ContactPageProps) -> Html {
    let (i18n, directory) = (use_i18n(), use_directory());
    let contact = use_remote(props.id, api::contacts::get_contact);
    let id = props.id;
    remote_view(
        &contact.state,
        &contact.reload,
        |contact: &Shared<Contact>| {
            let company = contact.company_id.map(|company_id| {
                html! {
                    <Link<Route> to={Route::Company { id: company_id }}>
                        { directory.name(Some(company_id)).unwrap_or("—") }
                    </Link<Route>>
                }
            });
            let facts = [
                (Key::JobTitle, contact.title.clone()),
                (Key::Email, contact.email.clone()),
                (Key::Phone, contact.phone.clone()),
                (
                    Key::Owner,
                    directory.name(contact.owner_id).map(str::to_owned),
                ),
            ];
            html! {
                <section class="page">
                    <div class="page-head"><h1>{ contact_name(contact) }</h1></div>
                    <div class="two-columns">
                        <div class="stack">
                            <section class="card">
                                <h2>{ i18n.t(Key::Details) }</h2>
                                <dl class="facts">
                                    <dt>{ i18n.t(Key::Company) }</dt>
                                    <dd>{ company.unwrap_or_else(|| html! { { i18n.t(Key::PrivateCustomer) } }) }</dd>
                                    { for facts.into_iter().map(|(key, value)| html! {
                                        <><dt>{ i18n.t(key) }</dt><dd>{ value.unwrap_or_else(|| "—".to_owned()) }</dd></>
                                    }) }
                                </dl>
                            </section>
                            <RelatedDeals owner={Owner::Contact(id)} />
                        </div>
                        <RelatedActivities owner={Owner::Contact(id)} />
                    </div>
                </section>
            }
        },
    )
}
