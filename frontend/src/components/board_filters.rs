//! The pipeline switcher and the owner, team and text filters of the board.

use uuid::Uuid;
use yew::prelude::*;

use super::field::event_value;
use crate::hooks::{use_directory, use_i18n};
use crate::i18n::Key;

/// The board's pipeline and filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoardFilterValues {
    pub pipeline_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub q: String,
}

#[derive(Properties, PartialEq)]
pub struct BoardFiltersProps {
    pub values: BoardFilterValues,
    pub on_change: Callback<BoardFilterValues>,
}

/// Builds `<option>`s from `(id, name)` pairs, with an "all" entry first when given.
pub fn id_options(items: Vec<(Uuid, String)>, selected: Option<Uuid>, all: Option<&str>) -> Html {
    let first = all
        .map(|label| html! { <option value="" selected={selected.is_none()}>{ label }</option> });
    html! {
        <>
            { for first }
            { for items.into_iter().map(|(id, name)| html! {
                <option value={id.to_string()} selected={selected == Some(id)}>{ name }</option>
            }) }
        </>
    }
}

#[function_component]
pub fn BoardFilters(props: &BoardFiltersProps) -> Html {
    let i18n = use_i18n();
    let directory = use_directory();
    let text = use_state(|| props.values.q.clone());
    let change = |apply: fn(&mut BoardFilterValues, String)| {
        let (values, on_change) = (props.values.clone(), props.on_change.clone());
        Callback::from(move |event: Event| {
            let mut values = values.clone();
            apply(&mut values, event_value(&event));
            on_change.emit(values);
        })
    };
    let onsubmit = {
        let (values, on_change, text) =
            (props.values.clone(), props.on_change.clone(), text.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_change.emit(BoardFilterValues {
                q: (*text).trim().to_owned(),
                ..values.clone()
            });
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| text.set(event_value(&event)))
    };
    let pipelines = directory
        .pipelines
        .iter()
        .map(|p| (p.id, p.name.clone()))
        .collect();
    let users = directory
        .users
        .iter()
        .map(|u| (u.id, u.name.clone()))
        .collect();
    let teams = directory
        .teams
        .iter()
        .map(|t| (t.id, t.name.clone()))
        .collect();
    html! {
        <form class="filters" {onsubmit} role="search">
            <select id="pipeline" aria-label={i18n.t(Key::Pipeline)}
                onchange={change(|values, id| values.pipeline_id = id.parse().ok())}>
                { id_options(pipelines, props.values.pipeline_id, None) }
            </select>
            <select id="owner-filter" aria-label={i18n.t(Key::Owner)}
                onchange={change(|values, id| values.owner_id = id.parse().ok())}>
                { id_options(users, props.values.owner_id, Some(i18n.t(Key::AllOwners))) }
            </select>
            <select id="team-filter" aria-label={i18n.t(Key::Team)}
                onchange={change(|values, id| values.team_id = id.parse().ok())}>
                { id_options(teams, props.values.team_id, Some(i18n.t(Key::AllTeams))) }
            </select>
            <input id="board-search" type="search" placeholder={i18n.t(Key::SearchDeals)}
                aria-label={i18n.t(Key::SearchDeals)} value={(*text).clone()} {oninput} />
            <button class="button" type="submit">{ i18n.t(Key::Search) }</button>
        </form>
    }
}
