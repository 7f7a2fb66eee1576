//! My tasks: the signed-in user's open tasks, overdue first, then by due time.

use api_types::tasks::Task;
use time::OffsetDateTime;
use yew::prelude::*;

use crate::api::{self, session, tasks::TaskQuery};
use crate::components::load_more::LoadMore;
use crate::components::remote::{Failed, Loading};
use crate::components::task_item::TaskItem;
use crate::hooks::{PageStatus, use_i18n, use_paged, use_session};
use crate::i18n::Key;
use crate::shared::Shared;
use crate::view_model::tasks::group_tasks;

fn now() -> OffsetDateTime {
    let nanos = session::now_ms() as i128 * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[function_component]
pub fn TasksPage() -> Html {
    let i18n = use_i18n();
    let user_id = use_session().map(|session| session.me.user_id);
    let tasks = use_paged(user_id, |assignee_id, cursor| async move {
        let query = TaskQuery {
            limit: Some(100),
            cursor,
            sort: Some("due_at".to_owned()),
            assignee_id,
            done: Some(false),
            ..TaskQuery::default()
        };
        api::tasks::list_tasks(&query).await
    });
    let on_done = {
        let update = tasks.update.clone();
        Callback::from(move |done: Task| {
            update.emit(Box::new(move |rows: &mut Vec<Task>| {
                rows.retain(|task| task.id != done.id)
            }))
        })
    };
    let groups = group_tasks(&tasks.rows, now());
    let section = |key: Key, id: &'static str, rows: Vec<Task>, overdue: bool| {
        if rows.is_empty() {
            return html! {};
        }
        html! {
            <section class="card" id={id}>
                <h2>{ i18n.t(key) }{ " " }<span class="muted">{ i18n.count(rows.len() as u64) }</span></h2>
                <ul class="task-list">
                    { for rows.into_iter().map(|task| {
                        let key = task.id.to_string();
                        html! { <TaskItem {key} task={Shared::new(task)} {overdue} on_done={on_done.clone()} /> }
                    }) }
                </ul>
            </section>
        }
    };
    let body = match &tasks.status {
        PageStatus::Loading => html! { <Loading /> },
        PageStatus::Failed(error) => {
            html! { <Failed error={error.clone()} retry={tasks.reload.clone()} /> }
        }
        _ if tasks.rows.is_empty() => html! { <p class="muted">{ i18n.t(Key::NoOpenTasks) }</p> },
        _ => html! {
            <>
                { section(Key::Overdue, "overdue-tasks", groups.overdue, true) }
                { section(Key::Upcoming, "upcoming-tasks", groups.upcoming, false) }
                { section(Key::NoDueDate, "undated-tasks", groups.undated, false) }
            </>
        },
    };
    html! {
        <section class="page">
            <div class="page-head"><h1>{ i18n.t(Key::NavTasks) }</h1></div>
            { body }
            <LoadMore status={tasks.status.clone()} has_more={tasks.has_more} on_load={tasks.load_more.clone()} />
        </section>
    }
}
