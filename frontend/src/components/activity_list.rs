//! Activities of a company or contact, the latest first.

use api_types::activities::{Activity, ActivityKind};
use yew::prelude::*;

use crate::hooks::{use_directory, use_i18n};
use crate::i18n::{I18n, Key};
use crate::shared::Shared;

/// Returns the translated name of an activity kind.
pub fn kind_label(i18n: &I18n, kind: ActivityKind) -> &'static str {
    i18n.t(match kind {
        ActivityKind::Note => Key::KindNote,
        ActivityKind::Call => Key::KindCall,
        ActivityKind::Meeting => Key::KindMeeting,
        ActivityKind::Visit => Key::KindVisit,
        ActivityKind::Email => Key::KindEmail,
    })
}

#[derive(Properties, PartialEq)]
pub struct ActivityListProps {
    pub activities: Shared<Vec<Activity>>,
}

#[function_component]
pub fn ActivityList(props: &ActivityListProps) -> Html {
    let i18n = use_i18n();
    let directory = use_directory();
    if props.activities.is_empty() {
        return html! { <p class="muted">{ i18n.t(Key::NothingYet) }</p> };
    }
    html! {
        <ol class="timeline">
            { for props.activities.iter().map(|activity| html! {
                <li key={activity.id.to_string()} class="timeline-entry activity">
                    <div class="timeline-head">
                        <strong>{ format!("{} · {}", kind_label(&i18n, activity.kind), activity.subject) }</strong>
                        <time class="muted">{ i18n.instant(activity.occurred_at) }</time>
                    </div>
                    { for activity.body.clone().map(|body| html! { <p class="timeline-body">{ body }</p> }) }
                    { for directory.name(activity.owner_id).map(|who| html! { <span class="muted">{ who }</span> }) }
                </li>
            }) }
        </ol>
    }
}
