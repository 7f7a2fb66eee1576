//! One task with a checkbox that marks it done.

use api_types::tasks::Task;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::remote::error_message;
use crate::api::{self, ApiError};
use crate::hooks::{use_directory, use_i18n};
use crate::i18n::Key;
use crate::route::Route;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct TaskItemProps {
    pub task: Shared<Task>,
    pub overdue: bool,
    /// Receives the task once the server has marked it done.
    pub on_done: Callback<Task>,
}

#[function_component]
pub fn TaskItem(props: &TaskItemProps) -> Html {
    let (i18n, directory) = (use_i18n(), use_directory());
    let (sending, failure) = (use_state(|| false), use_state(|| None::<ApiError>));
    let task = &props.task;
    let onchange = {
        let (task, sending, failure, on_done) = (
            task.clone(),
            sending.clone(),
            failure.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |_: Event| {
            let (id, version) = (task.id, task.version);
            let (sending, failure, on_done) = (sending.clone(), failure.clone(), on_done.clone());
            sending.set(true);
            spawn_local(async move {
                let result = api::tasks::complete_task(id, version).await;
                sending.set(false);
                match result {
                    Ok(done) => on_done.emit(done),
                    Err(error) => failure.set(Some(error)),
                }
            });
        })
    };
    let due = task.due_at.map(|due| i18n.instant(due));
    let deal = task.deal_id.map(|id| {
        html! {
            <Link<Route> to={Route::Deal { id }}>{ i18n.t(Key::OpenDeal) }</Link<Route>>
        }
    });
    let checkbox_id = format!("task-{}", task.id);
    html! {
        <li class={classes!("task", props.overdue.then_some("overdue"))} data-task-id={task.id.to_string()}>
            <input type="checkbox" id={checkbox_id.clone()} {onchange} disabled={*sending} checked={*sending} />
            <label for={checkbox_id}>{ &task.title }</label>
            <span class="task-meta">
                { for due.map(|due| html! { <time class={classes!("muted", props.overdue.then_some("overdue-text"))}>{ due }</time> }) }
                { for directory.name(task.assignee_id).map(|name| html! { <span class="muted">{ name }</span> }) }
                { for deal }
            </span>
            { for failure.as_ref().map(|error| html! { <p class="form-error" role="alert">{ error_message(&i18n, error) }</p> }) }
        </li>
    }
}
