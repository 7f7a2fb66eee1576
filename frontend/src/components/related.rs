//! The deals and activities of a company or contact, for their detail pages.

use api_types::activities::Activity;
use uuid::Uuid;
use yew::prelude::*;

use super::activity_form::ActivityForm;
use super::activity_list::ActivityList;
use super::deals_table::DealsTable;
use super::load_more::LoadMore;
use super::remote::{Failed, Loading};
use crate::api::activities::ActivityQuery;
use crate::api::deals::DealQuery;
use crate::api::{self};
use crate::hooks::{PageStatus, use_i18n, use_paged};
use crate::i18n::Key;

/// The record whose deals and activities are shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Owner {
    Company(Uuid),
    Contact(Uuid),
}

impl Owner {
    fn company_id(self) -> Option<Uuid> {
        match self {
            Owner::Company(id) => Some(id),
            Owner::Contact(_) => None,
        }
    }

    fn contact_id(self) -> Option<Uuid> {
        match self {
            Owner::Contact(id) => Some(id),
            Owner::Company(_) => None,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct RelatedProps {
    pub owner: Owner,
}

/// Renders the first-page state of a list, or `loaded` once rows exist.
fn list_state(
    status: &PageStatus,
    empty: bool,
    retry: &Callback<()>,
    nothing: &str,
    loaded: Html,
) -> Html {
    match status {
        PageStatus::Loading => html! { <Loading /> },
        PageStatus::Failed(error) => {
            html! { <Failed error={error.clone()} retry={retry.clone()} /> }
        }
        _ if empty => html! { <p class="muted">{ nothing }</p> },
        _ => loaded,
    }
}

#[function_component]
pub fn RelatedDeals(props: &RelatedProps) -> Html {
    let i18n = use_i18n();
    let deals = use_paged(props.owner, |owner: Owner, cursor| async move {
        let query = DealQuery {
            limit: Some(25),
            cursor,
            company_id: owner.company_id(),
            contact_id: owner.contact_id(),
            ..DealQuery::default()
        };
        api::deals::list_deals(&query).await
    });
    let table = html! { <DealsTable rows={deals.rows.clone()} /> };
    html! {
        <section class="card">
            <h2>{ i18n.t(Key::NavDeals) }</h2>
            { list_state(&deals.status, deals.rows.is_empty(), &deals.reload, i18n.t(Key::NoDeals), table) }
            <LoadMore status={deals.status.clone()} has_more={deals.has_more} on_load={deals.load_more.clone()} />
        </section>
    }
}

#[function_component]
pub fn RelatedActivities(props: &RelatedProps) -> Html {
    let i18n = use_i18n();
    let activities = use_paged(props.owner, |owner: Owner, cursor| async move {
        let query = ActivityQuery {
            limit: Some(25),
            cursor,
            company_id: owner.company_id(),
            contact_id: owner.contact_id(),
            ..ActivityQuery::default()
        };
        api::activities::list_activities(&query).await
    });
    let on_created = {
        let update = activities.update.clone();
        Callback::from(move |created: Activity| {
            update.emit(Box::new(move |rows: &mut Vec<Activity>| {
                rows.insert(0, created)
            }))
        })
    };
    let list = html! { <ActivityList activities={activities.rows.clone()} /> };
    html! {
        <section class="card">
            <h2>{ i18n.t(Key::Activities) }</h2>
            <ActivityForm company_id={props.owner.company_id()} contact_id={props.owner.contact_id()} {on_created} />
            { list_state(&activities.status, activities.rows.is_empty(), &activities.reload, i18n.t(Key::NothingYet), list) }
            <LoadMore status={activities.status.clone()} has_more={activities.has_more} on_load={activities.load_more.clone()} />
        </section>
    }
}
