//! The deal timeline: activities, stage moves and changes, the latest first.

use yew::prelude::*;

use crate::hooks::{use_directory, use_i18n};
use crate::i18n::{I18n, Key};
use crate::shared::Shared;
use crate::view_model::timeline::{TimelineEntry, changed_fields};

use super::activity_list::kind_label;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub entries: Shared<Vec<TimelineEntry>>,
}

fn change_text(i18n: &I18n, kind: &str, fields: &[String]) -> String {
    match kind {
        "created" => i18n.t(Key::ChangeCreated).to_owned(),
        "deleted" => i18n.t(Key::ChangeDeleted).to_owned(),
        "restored" => i18n.t(Key::ChangeRestored).to_owned(),
        _ => i18n.fill(Key::ChangeUpdated, &[("fields", &fields.join(", "))]),
    }
}

#[function_component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let i18n = use_i18n();
    let directory = use_directory();
    if props.entries.is_empty() {
        return html! { <p class="muted">{ i18n.t(Key::NothingYet) }</p> };
    }
    let item = |entry: &TimelineEntry| {
        let when = i18n.instant(entry.at());
        let (class, title, body, who) = match entry {
            TimelineEntry::Activity(activity) => (
                "activity",
                format!(
                    "{} · {}",
                    kind_label(&i18n, activity.kind),
                    activity.subject
                ),
                activity.body.clone(),
                directory.name(activity.owner_id),
            ),
            TimelineEntry::StageMove(transition) => {
                let to = transition.to_stage_name.clone().unwrap_or_default();
                let text = match &transition.from_stage_name {
                    Some(from) => i18n.fill(Key::MovedFromTo, &[("from", from), ("to", &to)]),
                    None => i18n.fill(Key::StartedIn, &[("to", &to)]),
                };
                ("stage", text, None, directory.name(transition.by_user_id))
            }
            TimelineEntry::Change(change) => (
                "change",
                change_text(&i18n, &change.kind, &changed_fields(change)),
                None,
                directory.name(change.actor_id),
            ),
        };
        html! {
            <li class={classes!("timeline-entry", class)}>
                <div class="timeline-head">
                    <strong>{ title }</strong>
                    <time class="muted">{ when }</time>
                </div>
                { for body.map(|body| html! { <p class="timeline-body">{ body }</p> }) }
                { for who.map(|who| html! { <span class="muted">{ who }</span> }) }
            </li>
        }
    };
    html! { <ol class="timeline" id="timeline">{ for props.entries.iter().map(item) }</ol> }
}
