//! `/tasks`: to-dos with an assignee and a due instant.

use api_types::Page;
use api_types::tasks::{NewTask, Task, TaskPatch};
use gloo_net::http::Method;
use serde::Serialize;
use uuid::Uuid;

use super::{ApiError, Call, get_json, query_string, read_json, send};

/// Filters, sort and page of the task list, by due instant by default.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TaskQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub done: Option<bool>,
    pub deal_id: Option<Uuid>,
}

/// Reads one page of tasks.
pub async fn list_tasks(query: &TaskQuery) -> Result<Page<Task>, ApiError> {
    get_json(format!("/tasks{}", query_string(query))).await
}

/// Creates a task.
pub async fn create_task(task: &NewTask) -> Result<Task, ApiError> {
    let call = Call::with_json(Method::POST, "/tasks", task)?;
    read_json(send(call).await?).await
}

/// Marks a task done at `version`; 412 means someone else changed it first.
pub async fn complete_task(id: Uuid, version: i64) -> Result<Task, ApiError> {
    let patch = TaskPatch {
        done: Some(true),
        ..TaskPatch::default()
    };
    let call = Call::with_json(Method::PATCH, format!("/tasks/{id}"), &patch)?;
    read_json(send(call.if_match(version)).await?).await
}
