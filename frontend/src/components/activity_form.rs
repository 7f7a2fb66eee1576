//! Logs a note, call, meeting, visit or e-mail about a deal, contact or company.

use api_types::activities::{Activity, ActivityKind, NewActivity};
use uuid::Uuid;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::activity_list::kind_label;
use super::field::{Field, bind};
use super::remote::error_message;
use crate::api::{self, ApiError};
use crate::hooks::use_i18n;
use crate::i18n::Key;
use crate::view_model::fields::FieldErrors;

#[derive(Clone, PartialEq)]
struct ActivityDraft {
    kind: String,
    subject: String,
    body: String,
}

impl Default for ActivityDraft {
    fn default() -> ActivityDraft {
        ActivityDraft {
            kind: "note".to_owned(),
            subject: String::new(),
            body: String::new(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ActivityFormProps {
    #[prop_or_default]
    pub deal_id: Option<Uuid>,
    #[prop_or_default]
    pub contact_id: Option<Uuid>,
    #[prop_or_default]
    pub company_id: Option<Uuid>,
    pub on_created: Callback<Activity>,
}

#[function_component]
pub fn ActivityForm(props: &ActivityFormProps) -> Html {
    let i18n = use_i18n();
    let draft = use_state(ActivityDraft::default);
    let (errors, failure, sending) = (
        use_state(FieldErrors::default),
        use_state(|| None::<ApiError>),
        use_state(|| false),
    );
    let onsubmit = {
        let (draft, errors, failure, sending) = (
            draft.clone(),
            errors.clone(),
            failure.clone(),
            sending.clone(),
        );
        let (deal_id, contact_id, company_id, on_created) = (
            props.deal_id,
            props.contact_id,
            props.company_id,
            props.on_created.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let optional =
                |text: &str| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
            let activity = NewActivity {
                kind: ActivityKind::parse(&draft.kind).unwrap_or(ActivityKind::Note),
                subject: optional(&draft.subject),
                body: optional(&draft.body),
                occurred_at: None,
                duration_minutes: None,
                deal_id,
                contact_id,
                company_id,
                owner_id: None,
            };
            let (draft, errors, failure, sending, on_created) = (
                draft.clone(),
                errors.clone(),
                failure.clone(),
                sending.clone(),
                on_created.clone(),
            );
            sending.set(true);
            spawn_local(async move {
                let result = api::activities::create_activity(&activity).await;
                sending.set(false);
                match result {
                    Ok(created) => {
                        draft.set(ActivityDraft {
                            kind: draft.kind.clone(),
                            ..ActivityDraft::default()
                        });
                        errors.set(FieldErrors::default());
                        failure.set(None);
                        on_created.emit(created);
                    }
                    Err(error) => {
                        errors.set(FieldErrors::from_error(&error));
                        failure.set(Some(error));
                    }
                }
            });
        })
    };
    let unclaimed = errors.unclaimed(&["kind", "subject", "body"]);
    let other = failure
        .as_ref()
        .filter(|error| error.status() != Some(422))
        .map(|error| error_message(&i18n, error));
    html! {
        <form class="stack" id="activity-form" {onsubmit} novalidate=true>
            <Field label={i18n.t(Key::Kind)} input_id="activity-kind" errors={errors.for_field("kind")}>
                <select id="activity-kind" onchange={bind::<_, Event>(&draft, |d, v| d.kind = v)}>
                    { for ActivityKind::ALL.iter().map(|kind| html! {
                        <option value={kind.as_str()} selected={draft.kind == kind.as_str()}>{ kind_label(&i18n, *kind) }</option>
                    }) }
                </select>
            </Field>
            <Field label={i18n.t(Key::Subject)} input_id="activity-subject" errors={errors.for_field("subject")}>
                <input id="activity-subject" value={draft.subject.clone()} oninput={bind::<_, InputEvent>(&draft, |d, v| d.subject = v)} />
            </Field>
            <Field label={i18n.t(Key::Body)} input_id="activity-body" errors={errors.for_field("body")}>
                <textarea id="activity-body" rows="3" value={draft.body.clone()} oninput={bind::<_, InputEvent>(&draft, |d, v| d.body = v)} />
            </Field>
            { for unclaimed.into_iter().chain(other).map(|message| html! { <p class="form-error" role="alert">{ message }</p> }) }
            <button class="button primary" type="submit" id="add-activity" disabled={*sending}>
                { i18n.t(if *sending { Key::Saving } else { Key::AddActivity }) }
            </button>
        </form>
    }
}
