//! Creates a task about a deal, assigned to the signed-in user unless another is chosen.

use api_types::tasks::{NewTask, Task};
use uuid::Uuid;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::board_filters::id_options;
use super::field::{Field, bind};
use super::remote::error_message;
use crate::api::{self, ApiError};
use crate::hooks::{use_directory, use_i18n};
use crate::i18n::{Key, local_input_instant};
use crate::view_model::fields::FieldErrors;

#[derive(Clone, Default, PartialEq)]
struct TaskDraft {
    title: String,
    due: String,
    assignee_id: String,
}

#[derive(Properties, PartialEq)]
pub struct TaskFormProps {
    pub deal_id: Uuid,
    pub on_created: Callback<Task>,
}

#[function_component]
pub fn TaskForm(props: &TaskFormProps) -> Html {
    let (i18n, directory) = (use_i18n(), use_directory());
    let draft = use_state(TaskDraft::default);
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
        let (deal_id, on_created) = (props.deal_id, props.on_created.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let due_at = local_input_instant(&draft.due);
            if !draft.due.is_empty() && due_at.is_none() {
                let mut found = FieldErrors::default();
                found.add("due_at", format!("{:?} is not a date and time", draft.due));
                return errors.set(found);
            }
            let task = NewTask {
                title: draft.title.trim().to_owned(),
                notes: None,
                assignee_id: draft.assignee_id.parse().ok(),
                due_at,
                done: false,
                deal_id: Some(deal_id),
                contact_id: None,
                company_id: None,
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
                let result = api::tasks::create_task(&task).await;
                sending.set(false);
                match result {
                    Ok(created) => {
                        draft.set(TaskDraft::default());
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
    let users = directory
        .users
        .iter()
        .map(|u| (u.id, u.name.clone()))
        .collect();
    let unclaimed = errors.unclaimed(&["title", "due_at", "assignee_id"]);
    let other = failure
        .as_ref()
        .filter(|error| error.status() != Some(422))
        .map(|error| error_message(&i18n, error));
    html! {
        <form class="stack" id="task-form" {onsubmit} novalidate=true>
            <Field label={i18n.t(Key::TaskTitle)} input_id="task-title" errors={errors.for_field("title")}>
                <input id="task-title" value={draft.title.clone()} oninput={bind::<_, InputEvent>(&draft, |d, v| d.title = v)} />
            </Field>
            <Field label={i18n.t(Key::Due)} input_id="task-due" errors={errors.for_field("due_at")}>
                <input id="task-due" type="datetime-local" value={draft.due.clone()} oninput={bind::<_, InputEvent>(&draft, |d, v| d.due = v)} />
            </Field>
            <Field label={i18n.t(Key::Assignee)} input_id="task-assignee" errors={errors.for_field("assignee_id")}>
                <select id="task-assignee" onchange={bind::<_, Event>(&draft, |d, v| d.assignee_id = v)}>
                    { id_options(users, draft.assignee_id.parse().ok(), Some(i18n.t(Key::Me))) }
                </select>
            </Field>
            { for unclaimed.into_iter().chain(other).map(|message| html! { <p class="form-error" role="alert">{ message }</p> }) }
            <button class="button primary" type="submit" id="add-task" disabled={*sending}>
                { i18n.t(if *sending { Key::Saving } else { Key::AddTask }) }
            </button>
        </form>
    }
}
