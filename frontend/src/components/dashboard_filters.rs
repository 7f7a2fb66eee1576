//! The dashboard's filter bar: pipeline, period, owner, team, region, product line,
//! customer type, source, and the days without activity after which a deal has stalled.

use yew::prelude::*;

use super::board_filters::id_options;
use super::field::event_value;
use crate::hooks::{use_directory, use_i18n};
use crate::i18n::Key;
use crate::view_model::dashboard::{
    DEFAULT_STALE_DAYS, DashboardFilters, STALE_DAYS_RANGE, non_empty, stale_days,
};

#[derive(Properties, PartialEq)]
pub struct DashboardFilterBarProps {
    pub values: DashboardFilters,
    pub on_change: Callback<DashboardFilters>,
}

/// Renders the filters. Each one applies when its value is committed: a select or date at
/// once, a text field on Enter or when it loses focus.
#[function_component]
pub fn DashboardFilterBar(props: &DashboardFilterBarProps) -> Html {
    let (i18n, directory) = (use_i18n(), use_directory());
    let values = &props.values;
    let change = |apply: fn(&mut DashboardFilters, String)| {
        let (values, on_change) = (values.clone(), props.on_change.clone());
        Callback::from(move |event: Event| {
            let mut next = values.clone();
            apply(&mut next, event_value(&event));
            on_change.emit(next);
        })
    };
    let clear = {
        let (pipeline_id, on_change) = (values.pipeline_id, props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            on_change.emit(DashboardFilters {
                pipeline_id,
                ..DashboardFilters::default()
            });
        })
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
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    html! {
        <div class="filters dashboard-filters" role="search" aria-label={i18n.t(Key::DashboardFilters)}>
            <select id="dashboard-pipeline" aria-label={i18n.t(Key::Pipeline)}
                onchange={change(|next, id| next.pipeline_id = id.parse().ok())}>
                { id_options(pipelines, values.pipeline_id, None) }
            </select>
            <label class="inline-label">{ i18n.t(Key::PeriodFrom) }
                <input id="dashboard-from" type="date" value={text(&values.from)}
                    onchange={change(|next, date| next.from = non_empty(&date))} />
            </label>
            <label class="inline-label">{ i18n.t(Key::PeriodTo) }
                <input id="dashboard-to" type="date" value={text(&values.to)}
                    onchange={change(|next, date| next.to = non_empty(&date))} />
            </label>
            <select id="dashboard-owner" aria-label={i18n.t(Key::Owner)}
                onchange={change(|next, id| next.owner_id = id.parse().ok())}>
                { id_options(users, values.owner_id, Some(i18n.t(Key::AllOwners))) }
            </select>
            <select id="dashboard-team" aria-label={i18n.t(Key::Team)}
                onchange={change(|next, id| next.team_id = id.parse().ok())}>
                { id_options(teams, values.team_id, Some(i18n.t(Key::AllTeams))) }
            </select>
            <input id="dashboard-region" type="search" value={text(&values.region)}
                placeholder={i18n.t(Key::AllRegions)} aria-label={i18n.t(Key::Region)}
                onchange={change(|next, region| next.region = non_empty(&region))} />
            <input id="dashboard-product-line" type="search" value={text(&values.product_line)}
                placeholder={i18n.t(Key::AllProductLines)} aria-label={i18n.t(Key::ProductLine)}
                onchange={change(|next, line| next.product_line = non_empty(&line))} />
            <input id="dashboard-customer-type" type="search" value={text(&values.customer_type)}
                placeholder={i18n.t(Key::AllCustomerTypes)} aria-label={i18n.t(Key::CustomerType)}
                onchange={change(|next, kind| next.customer_type = non_empty(&kind))} />
            <input id="dashboard-source" type="search" value={text(&values.source)}
                placeholder={i18n.t(Key::AllSources)} aria-label={i18n.t(Key::Source)}
                onchange={change(|next, source| next.source = non_empty(&source))} />
            <label class="inline-label">{ i18n.t(Key::StaleDays) }
                <input id="dashboard-stale-days" type="number" inputmode="numeric"
                    min={STALE_DAYS_RANGE.start().to_string()} max={STALE_DAYS_RANGE.end().to_string()}
                    value={values.stale_days.unwrap_or(DEFAULT_STALE_DAYS).to_string()}
                    onchange={change(|next, days| next.stale_days = stale_days(&days))} />
            </label>
            <button class="button subtle" type="button" onclick={clear}>{ i18n.t(Key::ClearFilters) }</button>
        </div>
    }
}
