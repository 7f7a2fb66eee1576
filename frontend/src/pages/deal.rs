//! One deal: its fields, contacts, line items, tasks and timeline, with forms to log an
//! activity or add a task.

use api_types::deals::Deal;
use api_types::tasks::Task;
use futures_util::future::try_join;
use uuid::Uuid;
use yew::prelude::*;

use crate::api::activities::ActivityQuery;
use crate::api::tasks::TaskQuery;
use crate::api::{self, ApiError};
use crate::components::activity_form::ActivityForm;
use crate::components::deal_contacts::DealContacts;
use crate::components::deal_fields::DealFields;
use crate::components::line_items::LineItems;
use crate::components::remote::remote_view;
use crate::components::task_form::TaskForm;
use crate::components::task_item::TaskItem;
use crate::components::timeline::Timeline;
use crate::hooks::{use_i18n, use_paged, use_remote};
use crate::i18n::Key;
use crate::shared::Shared;
use crate::view_model::timeline::{TimelineEntry, build_timeline};

/// Activities shown in the timeline, the latest ones.
const TIMELINE_ACTIVITIES: u32 = 100;

/// Loads the deal's history and latest activities, merged into the timeline.
async fn load_timeline(id: Uuid) -> Result<Vec<TimelineEntry>, ApiError> {
    let query = ActivityQuery {
        limit: Some(TIMELINE_ACTIVITIES),
        deal_id: Some(id),
        ..ActivityQuery::default()
    };
    let (history, activities) = try_join(
        api::deals::deal_history(id),
        api::activities::list_activities(&query),
    )
    .await?;
    Ok(build_timeline(&activities.data, &history))
}

#[derive(Properties, PartialEq)]
pub struct DealPageProps {
    pub id: Uuid,
}

#[function_component]
pub fn DealPage(props: &DealPageProps) -> Html {
    let i18n = use_i18n();
    let deal = use_remote(props.id, api::deals::get_deal);
    let timeline = use_remote(props.id, load_timeline);
    let tasks = use_paged(props.id, |id, cursor| async move {
        let query = TaskQuery {
            limit: Some(50),
            cursor,
            done: Some(false),
            deal_id: Some(id),
            ..TaskQuery::default()
        };
        api::tasks::list_tasks(&query).await
    });
    let on_saved = {
        let (set, reload_timeline) = (deal.set.clone(), timeline.reload.clone());
        Callback::from(move |saved: Deal| {
            set.emit(saved);
            reload_timeline.emit(());
        })
    };
    let on_activity = {
        let reload = timeline.reload.clone();
        Callback::from(move |_| reload.emit(()))
    };
    let on_task = {
        let update = tasks.update.clone();
        Callback::from(move |task: Task| {
            update.emit(Box::new(move |rows: &mut Vec<Task>| rows.insert(0, task)))
        })
    };
    let on_done = {
        let update = tasks.update.clone();
        Callback::from(move |done: Task| {
            update.emit(Box::new(move |rows: &mut Vec<Task>| {
                rows.retain(|task| task.id != done.id)
            }))
        })
    };
    let now =
        time::OffsetDateTime::from_unix_timestamp_nanos(api::session::now_ms() as i128 * 1_000_000)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let task_rows = tasks.rows.iter().map(|task| html! {
        <TaskItem key={task.id.to_string()} task={Shared::new(task.clone())} overdue={task.due_at.is_some_and(|due| due < now)} on_done={on_done.clone()} />
    });
    let timeline_view = remote_view(&timeline.state, &timeline.reload, |entries| {
        html! {
            <Timeline entries={entries.clone()} />
        }
    });
    let id = props.id;
    remote_view(&deal.state, &deal.reload, |loaded: &Shared<Deal>| {
        let amount = loaded.amount.as_ref().map(|amount| i18n.money(amount));
        let stage = loaded.stage.as_ref().map(|stage| stage.name.clone());
        html! {
            <section class="page deal-page">
                <div class="page-head">
                    <h1 id="deal-name">{ &loaded.name }</h1>
                    { for stage.map(|stage| html! { <span class="badge">{ stage }</span> }) }
                    { for amount.map(|amount| html! { <span class="amount big">{ amount }</span> }) }
                </div>
                <div class="two-columns">
                    <div class="stack">
                        <DealFields deal={loaded.clone()} on_saved={on_saved.clone()} on_reload={deal.reload.clone()} />
                        <DealContacts deal={loaded.clone()} on_saved={on_saved.clone()} />
                        <LineItems deal={loaded.clone()} on_saved={on_saved.clone()} />
                    </div>
                    <div class="stack">
                        <section class="card">
                            <h2>{ i18n.t(Key::LogActivity) }</h2>
                            <ActivityForm deal_id={Some(id)} company_id={loaded.company_id} on_created={on_activity.clone()} />
                        </section>
                        <section class="card">
                            <h2>{ i18n.t(Key::OpenTasks) }</h2>
                            <ul class="task-list">{ for task_rows }</ul>
                            <TaskForm deal_id={id} on_created={on_task.clone()} />
                        </section>
                        <section class="card">
                            <h2>{ i18n.t(Key::Timeline) }</h2>
                            { timeline_view }
                        </section>
                    </div>
                </div>
            </section>
        }
    })
}
