//! The deal list: filters, sortable columns and keyset "load more".

use api_types::deals::DealStatus;
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::api::deals::DealQuery;
use crate::components::board_filters::id_options;
use crate::components::deals_table::DealsTable;
use crate::components::field::event_value;
use crate::components::load_more::LoadMore;
use crate::components::remote::{Failed, Loading};
use crate::hooks::{PageStatus, use_directory, use_i18n, use_paged};
use crate::i18n::Key;
use crate::view_model::sorting::next_sort;

const PAGE_SIZE: u32 = 50;

fn parse_status(text: &str) -> Option<DealStatus> {
    match text {
        "open" => Some(DealStatus::Open),
        "won" => Some(DealStatus::Won),
        "lost" => Some(DealStatus::Lost),
        _ => None,
    }
}

#[function_component]
pub fn DealsPage() -> Html {
    let i18n = use_i18n();
    let query = use_state(|| DealQuery {
        limit: Some(PAGE_SIZE),
        sort: Some("-updated_at".to_owned()),
        with_total: true,
        ..DealQuery::default()
    });
    let list = use_paged((*query).clone(), |query: DealQuery, cursor| async move {
        api::deals::list_deals(&DealQuery { cursor, ..query }).await
    });

    let on_sort = {
        let query = query.clone();
        Callback::from(move |(key, descending): (&'static str, bool)| {
            let current = query.sort.clone().unwrap_or_default();
            let sort = Some(next_sort(&current, key, descending));
            query.set(DealQuery {
                sort,
                ..(*query).clone()
            });
        })
    };
    let on_change = {
        let query = query.clone();
        Callback::from(move |next: DealQuery| query.set(next))
    };

    let total = list
        .total
        .map(|total| i18n.fill(Key::DealsFound, &[("count", &i18n.count(total))]));
    let body = match &list.status {
        PageStatus::Loading => html! { <Loading /> },
        PageStatus::Failed(error) => {
            html! { <Failed error={error.clone()} retry={list.reload.clone()} /> }
        }
        _ if list.rows.is_empty() => html! { <p class="muted">{ i18n.t(Key::NoDeals) }</p> },
        _ => html! { <DealsTable rows={list.rows.clone()} sort={query.sort.clone()} {on_sort} /> },
    };
    html! {
        <section class="page">
            <div class="page-head">
                <h1>{ i18n.t(Key::NavDeals) }</h1>
                { for total.map(|total| html! { <span class="muted" id="deals-total">{ total }</span> }) }
            </div>
            <DealFilters query={(*query).clone()} {on_change} />
            { body }
            <LoadMore status={list.status.clone()} has_more={list.has_more} on_load={list.load_more.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DealFiltersProps {
    query: DealQuery,
    on_change: Callback<DealQuery>,
}

/// Renders the pipeline, stage, status, owner, team and text filters of the deal list. A
/// select applies at once, the text when the form is submitted.
#[function_component]
fn DealFilters(props: &DealFiltersProps) -> Html {
    let (i18n, directory) = (use_i18n(), use_directory());
    let text = use_state(String::new);
    let query = &props.query;

    let set = |apply: fn(&mut DealQuery, String)| {
        let (query, on_change) = (query.clone(), props.on_change.clone());
        Callback::from(move |event: Event| {
            let mut next = query.clone();
            apply(&mut next, event_value(&event));
            on_change.emit(next);
        })
    };
    let onsubmit = {
        let (query, on_change, text) = (query.clone(), props.on_change.clone(), text.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let q = Some(text.trim().to_owned()).filter(|q| !q.is_empty());
            on_change.emit(DealQuery { q, ..query.clone() });
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| text.set(event_value(&event)))
    };

    let pipeline = query
        .pipeline_id
        .and_then(|id| directory.pipelines.iter().find(|p| p.id == id));
    let stages = pipeline
        .map(|pipeline| {
            pipeline
                .stages
                .iter()
                .map(|stage| (stage.id, stage.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let pipelines = directory
        .pipelines
        .iter()
        .map(|p| (p.id, p.name.clone()))
        .collect();
    let users = directory
        .users
        .iter()
        .map(|user| (user.id, user.name.clone()))
        .collect();
    let teams = directory
        .teams
        .iter()
        .map(|team| (team.id, team.name.clone()))
        .collect();
    let status = |value: &str, key: Key| {
        html! {
            <option value={value.to_owned()} selected={query.status == parse_status(value)}>{ i18n.t(key) }</option>
        }
    };
    html! {
        <form class="filters" {onsubmit} role="search">
            <select aria-label={i18n.t(Key::Pipeline)}
                onchange={set(|q, v| { q.pipeline_id = v.parse::<Uuid>().ok(); q.stage_id = None; })}>
                { id_options(pipelines, query.pipeline_id, Some(i18n.t(Key::AllPipelines))) }
            </select>
            <select aria-label={i18n.t(Key::Stage)} onchange={set(|q, v| q.stage_id = v.parse().ok())}>
                { id_options(stages, query.stage_id, Some(i18n.t(Key::AllStages))) }
            </select>
            <select aria-label={i18n.t(Key::Status)} onchange={set(|q, v| q.status = parse_status(&v))}>
                { status("", Key::AllStatuses) }
                { status("open", Key::StatusOpen) }
                { status("won", Key::StatusWon) }
                { status("lost", Key::StatusLost) }
            </select>
            <select aria-label={i18n.t(Key::Owner)} onchange={set(|q, v| q.owner_id = v.parse().ok())}>
                { id_options(users, query.owner_id, Some(i18n.t(Key::AllOwners))) }
            </select>
            <select aria-label={i18n.t(Key::Team)} onchange={set(|q, v| q.team_id = v.parse().ok())}>
                { id_options(teams, query.team_id, Some(i18n.t(Key::AllTeams))) }
            </select>
            <input type="search" placeholder={i18n.t(Key::SearchDeals)} aria-label={i18n.t(Key::SearchDeals)}
                value={(*text).clone()} {oninput} />
            <button class="button" type="submit">{ i18n.t(Key::Search) }</button>
        </form>
    }
}
