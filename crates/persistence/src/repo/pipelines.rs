//! Pipelines: sales processes as an ordered list of stages, each open, won or lost.
//!
//! A pipeline's stages are edited by sending the whole list in its new order. Listed stages
//! with an id keep that id, so their deals stay where they are. Listed stages without an id
//! are inserted, and stages left out are soft-deleted unless live deals are still in them.

use std::collections::{HashMap, HashSet};

use domain::stage::MAX_PROBABILITY;
use domain::{Scope, StageKind};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::Value as Json;
use time::PrimitiveDateTime;
use uuid::Uuid;

use super::{check_version, find_live, mark_deleted, update_versioned};
use crate::changes::{self, ChangeKind};
use crate::entities::pipeline::{ActiveModel, Column, Entity, Model};
use crate::entities::{deal, stage};
use crate::list::{ListOptions, Page, contains_text, fetch_page, like_pattern, parse_sort};
use crate::tenant::{TenantEntity, live_row, visible};
use crate::{FieldError, RepoError};

/// The maximum number of stages in one pipeline.
pub const MAX_STAGES: usize = 30;

/// The maximum length of a stage name, in characters.
pub const MAX_STAGE_NAME: usize = 100;

/// The name of the pipeline that every new organization starts with.
pub const DEFAULT_PIPELINE_NAME: &str = "Sales";

/// A stage to insert: into a new pipeline, or into an existing one through a stage list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStage {
    pub name: String,
    /// Win probability in percent, 0 to 100.
    pub probability: i32,
    pub kind: StageKind,
}

impl From<(&str, i32, StageKind)> for NewStage {
    fn from((name, probability, kind): (&str, i32, StageKind)) -> Self {
        NewStage {
            name: name.to_owned(),
            probability,
            kind,
        }
    }
}

/// One entry of a replacement stage list: with an `id` it updates that stage of the
/// pipeline, without one it inserts a new stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageInput {
    pub id: Option<Uuid>,
    pub stage: NewStage,
}

/// The fields of a new pipeline.
#[derive(Debug, Clone)]
pub struct NewPipeline {
    pub name: String,
    /// Place among the organization's pipelines; after the last one when `None`.
    pub position: Option<i32>,
    pub stages: Vec<NewStage>,
}

/// A partial update: `None` leaves a field alone. `stages` replaces the whole stage list.
#[derive(Debug, Clone, Default)]
pub struct PipelineChanges {
    pub name: Option<String>,
    pub position: Option<i32>,
    pub stages: Option<Vec<StageInput>>,
}

/// Filters of the pipeline list.
#[derive(Debug, Clone, Default)]
pub struct PipelineFilter {
    pub q: Option<String>,
    pub updated_since: Option<PrimitiveDateTime>,
}

/// A pipeline with its live stages, ordered by position.
#[derive(Debug, Clone)]
pub struct PipelineWithStages {
    pub pipeline: Model,
    pub stages: Vec<stage::Model>,
}

/// The fields a pipeline list may sort by.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("position", Column::Position),
    ("name", Column::Name),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
];

/// The sort applied when a request names none.
pub const DEFAULT_SORT: &str = "position,name";

/// Stages of the pipeline that every new organization starts with: name, win probability
/// in percent, and kind.
pub const DEFAULT_STAGES: [(&str, i32, StageKind); 6] = [
    ("Lead", 10, StageKind::Open),
    ("Qualified", 25, StageKind::Open),
    ("Proposal", 50, StageKind::Open),
    ("Negotiation", 75, StageKind::Open),
    ("Won", 100, StageKind::Won),
    ("Lost", 0, StageKind::Lost),
];

/// Loads a live stage of a live pipeline in the scope's organization, or `NotFound`.
pub async fn find_stage<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    stage_id: Uuid,
) -> Result<stage::Model, RepoError> {
    let live_pipelines = Query::select()
        .column(Column::Id)
        .from(Entity)
        .and_where(Expr::col(Column::OrgId).eq(scope.org_id))
        .and_where(Expr::col(Column::DeletedAt).is_null())
        .to_owned();
    stage::Entity::find()
        .filter(live_row::<stage::Entity>(scope, stage_id))
        .filter(stage::Column::PipelineId.in_subquery(live_pipelines))
        .one(db)
        .await?
        .ok_or(RepoError::NotFound { entity: "stage" })
}

/// Checks a stage list. It needs 1 to 30 stages, at least one open and one won. Each stage
/// needs a non-blank name of at most 100 characters, unique within the list ignoring case,
/// and a probability from 0 to 100. Errors name fields as `stages[i].name`.
pub fn validate_stages(stages: &[NewStage]) -> Result<(), RepoError> {
    let mut errors = Vec::new();
    if stages.is_empty() || stages.len() > MAX_STAGES {
        errors.push(FieldError::new(
            "stages",
            "invalid_length",
            format!(
                "a pipeline needs 1 to {MAX_STAGES} stages, but {} were given",
                stages.len()
            ),
        ));
    }
    let mut seen_names = HashSet::new();
    for (index, stage) in stages.iter().enumerate() {
        let name = stage.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new(
                format!("stages[{index}].name"),
                "required",
                "stage name must not be blank",
            ));
        } else if name.chars().count() > MAX_STAGE_NAME {
            errors.push(FieldError::new(
                format!("stages[{index}].name"),
                "too_long",
                format!("stage name must be at most {MAX_STAGE_NAME} characters"),
            ));
        } else if !seen_names.insert(name.to_lowercase()) {
            errors.push(FieldError::new(
                format!("stages[{index}].name"),
                "duplicate_name",
                format!("another stage of this pipeline is already named {name:?}: stage names must be unique, ignoring case"),
            ));
        }
        if !(0..=MAX_PROBABILITY).contains(&stage.probability) {
            errors.push(FieldError::new(
                format!("stages[{index}].probability"),
                "out_of_range",
                format!(
                    "probability must be a whole percent from 0 to {MAX_PROBABILITY}, but was {}",
                    stage.probability
                ),
            ));
        }
    }
    for (kind, code) in [
        (StageKind::Open, "missing_open_stage"),
        (StageKind::Won, "missing_won_stage"),
    ] {
        if !stages.is_empty() && !stages.iter().any(|stage| stage.kind == kind) {
            errors.push(FieldError::new(
                "stages",
                code,
                format!(
                    "a pipeline needs at least one stage of kind {}: add one",
                    kind.as_str()
                ),
            ));
        }
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(RepoError::Invalid(errors)),
    }
}

/// Inserts a pipeline with its stages inside the caller's transaction, placed after the
/// organization's last pipeline. Sign-up and the demo loader use it.
pub async fn create_pipeline_in_txn<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    name: &str,
    stages: &[NewStage],
) -> Result<(Model, Vec<stage::Model>), RepoError> {
    let position = next_position(db, scope).await?;
    insert_pipeline(db, scope, name, position, stages).await
}

/// Inserts a pipeline and its stages, with its change event, in one transaction.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewPipeline,
) -> Result<PipelineWithStages, RepoError> {
    let txn = crate::begin_write(db).await?;
    let position = match new.position {
        Some(position) => position,
        None => next_position(&txn, scope).await?,
    };
    let (pipeline, stages) = insert_pipeline(&txn, scope, &new.name, position, &new.stages).await?;
    txn.commit().await?;
    Ok(PipelineWithStages { pipeline, stages })
}

async fn next_position<C: ConnectionTrait>(db: &C, scope: &Scope) -> Result<i32, RepoError> {
    let last: Option<Option<i32>> = Entity::find()
        .select_only()
        .column_as(Column::Position.max(), "last_position")
        .filter(visible::<Entity>(scope))
        .filter(Column::DeletedAt.is_null())
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().map_or(0, |last| last.saturating_add(1)))
}

async fn insert_pipeline<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    name: &str,
    position: i32,
    stages: &[NewStage],
) -> Result<(Model, Vec<stage::Model>), RepoError> {
    validate_stages(stages)?;
    check_name_free(db, scope, name, None).await?;
    let now = domain::time::now_utc();
    let pipeline = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        name: Set(name.trim().to_owned()),
        position: Set(position),
    }
    .insert(db)
    .await?;
    let mut inserted = Vec::with_capacity(stages.len());
    for (position, stage) in (0..).zip(stages) {
        inserted.push(insert_stage(db, scope, pipeline.id, position, stage).await?);
    }
    changes::record(
        db,
        scope,
        Entity::NAME,
        pipeline.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    Ok((pipeline, inserted))
}

async fn insert_stage<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    pipeline_id: Uuid,
    position: i32,
    stage: &NewStage,
) -> Result<stage::Model, RepoError> {
    let now = domain::time::now_utc();
    let model = stage::ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        pipeline_id: Set(pipeline_id),
        name: Set(stage.name.trim().to_owned()),
        position: Set(position),
        probability: Set(stage.probability),
        kind: Set(stage.kind.as_str().to_owned()),
    }
    .insert(db)
    .await?;
    Ok(model)
}

/// Rejects a name that another live pipeline of the organization has, ignoring case.
async fn check_name_free<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    name: &str,
    except: Option<Uuid>,
) -> Result<(), RepoError> {
    // Organizations have few pipelines, so comparing in Rust is cheap, and it folds
    // non-ASCII case the same way on both databases (SQLite's LOWER folds ASCII only).
    let existing: Vec<(Uuid, String)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Name)
        .filter(visible::<Entity>(scope))
        .filter(Column::DeletedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let folded_name = name.trim().to_lowercase();
    let name_in_use = existing
        .iter()
        .any(|(id, other)| Some(*id) != except && other.to_lowercase() == folded_name);
    match name_in_use {
        true => Err(RepoError::Conflict {
            code: "pipeline_name_taken",
            message: format!(
                "a pipeline named {:?} already exists: choose another name",
                name.trim()
            ),
        }),
        false => Ok(()),
    }
}

/// Reads one live pipeline with its stages.
pub async fn get(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<PipelineWithStages, RepoError> {
    let pipeline = find_live::<Entity, _>(db, scope, id).await?;
    let stages = load_stages(db, scope, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    Ok(PipelineWithStages { pipeline, stages })
}

/// Loads the live stages of several pipelines in one query, grouped by pipeline and
/// ordered by position.
async fn load_stages<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    pipeline_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<stage::Model>>, RepoError> {
    let mut grouped: HashMap<Uuid, Vec<stage::Model>> = HashMap::new();
    if pipeline_ids.is_empty() {
        return Ok(grouped);
    }
    let stages = stage::Entity::find()
        .filter(visible::<stage::Entity>(scope))
        .filter(stage::Column::PipelineId.is_in(pipeline_ids.iter().copied()))
        .filter(stage::Column::DeletedAt.is_null())
        .order_by_asc(stage::Column::Position)
        .order_by_asc(stage::Column::Id)
        .all(db)
        .await?;
    for stage in stages {
        grouped.entry(stage.pipeline_id).or_default().push(stage);
    }
    Ok(grouped)
}

/// Applies a partial update at the client's expected version, replacing the stage list
/// when `changes.stages` is given. `describe` renders a pipeline for the change event's
/// diff.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    changes: PipelineChanges,
    describe: impl Fn(&PipelineWithStages) -> Json,
) -> Result<PipelineWithStages, RepoError> {
    let txn = crate::begin_write(db).await?;
    let pipeline = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version(Entity::NAME, expected, pipeline.version)?;
    let stages = load_stages(&txn, scope, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let before = PipelineWithStages { pipeline, stages };

    let mut active = <ActiveModel as ActiveModelTrait>::default();
    if let Some(name) = changes.name {
        check_name_free(&txn, scope, &name, Some(id)).await?;
        active.name = Set(name.trim().to_owned());
    }
    if let Some(position) = changes.position {
        active.position = Set(position);
    }
    if let Some(inputs) = changes.stages {
        replace_stages(&txn, scope, id, &before.stages, inputs).await?;
    }
    // The version moves even when only stages changed, so the ETag covers the stage list.
    let pipeline =
        update_versioned::<Entity, _>(&txn, scope, id, before.pipeline.version, active).await?;
    let stages = load_stages(&txn, scope, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let after = PipelineWithStages { pipeline, stages };
    let diff = changes::diff(&describe(&before), &describe(&after));
    changes::record(&txn, scope, Entity::NAME, id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(after)
}

/// Replaces the live stages of a pipeline with `inputs`, in that order.
async fn replace_stages<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    pipeline_id: Uuid,
    current: &[stage::Model],
    inputs: Vec<StageInput>,
) -> Result<(), RepoError> {
    let requested: Vec<NewStage> = inputs.iter().map(|input| input.stage.clone()).collect();
    validate_stages(&requested)?;
    check_stage_ids(current, &inputs)?;

    let listed_ids: HashSet<Uuid> = inputs.iter().filter_map(|input| input.id).collect();
    let removed: Vec<&stage::Model> = current
        .iter()
        .filter(|stage| !listed_ids.contains(&stage.id))
        .collect();
    check_stages_unused(db, scope, &removed).await?;
    for stage in removed {
        mark_deleted::<stage::Entity, C>(db, scope, stage.id, stage.version, false).await?;
    }

    let by_id: HashMap<Uuid, &stage::Model> =
        current.iter().map(|stage| (stage.id, stage)).collect();
    for (position, input) in (0..).zip(&inputs) {
        match input.id.and_then(|id| by_id.get(&id)) {
            Some(existing) => update_stage(db, scope, existing, position, &input.stage).await?,
            None => {
                insert_stage(db, scope, pipeline_id, position, &input.stage).await?;
            }
        }
    }
    Ok(())
}

/// Checks that every id in a stage list names a live stage of this pipeline, once.
fn check_stage_ids(current: &[stage::Model], inputs: &[StageInput]) -> Result<(), RepoError> {
    let known: HashSet<Uuid> = current.iter().map(|stage| stage.id).collect();
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        let Some(id) = input.id else {
            continue;
        };
        if !known.contains(&id) {
            errors.push(FieldError::new(
                format!("stages[{index}].id"),
                "unknown_stage",
                format!("stage {id} is not a stage of this pipeline: omit id to add a new stage"),
            ));
        } else if !seen.insert(id) {
            errors.push(FieldError::new(
                format!("stages[{index}].id"),
                "duplicate_stage",
                format!("stage {id} is listed more than once: list each stage once"),
            ));
        }
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(RepoError::Invalid(errors)),
    }
}

/// Rejects removing stages that live deals are still in, naming each with its deal count.
async fn check_stages_unused<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    removed: &[&stage::Model],
) -> Result<(), RepoError> {
    let mut in_use = Vec::new();
    for stage in removed {
        let deals = count_live_deals(db, scope, deal::Column::StageId, stage.id).await?;
        if deals > 0 {
            in_use.push(format!(
                "stage {:?} ({}) still has {deals} live deal(s)",
                stage.name, stage.id
            ));
        }
    }
    match in_use.is_empty() {
        true => Ok(()),
        false => Err(RepoError::Conflict {
            code: "stage_in_use",
            message: format!(
                "{}: move those deals to another stage, then remove the stage",
                in_use.join("; ")
            ),
        }),
    }
}

async fn count_live_deals<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    column: deal::Column,
    id: Uuid,
) -> Result<u64, RepoError> {
    let count = deal::Entity::find()
        .filter(deal::Column::OrgId.eq(scope.org_id))
        .filter(column.eq(id))
        .filter(deal::Column::DeletedAt.is_null())
        .count(db)
        .await?;
    Ok(count)
}

async fn update_stage<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    existing: &stage::Model,
    position: i32,
    requested: &NewStage,
) -> Result<(), RepoError> {
    let name = requested.name.trim();
    let kind = requested.kind.as_str();
    let unchanged = existing.name == name
        && existing.position == position
        && existing.probability == requested.probability
        && existing.kind == kind;
    if unchanged {
        return Ok(());
    }
    let mut active = <stage::ActiveModel as ActiveModelTrait>::default();
    active.name = Set(name.to_owned());
    active.position = Set(position);
    active.probability = Set(requested.probability);
    active.kind = Set(kind.to_owned());
    update_versioned::<stage::Entity, _>(db, scope, existing.id, existing.version, active).await?;
    Ok(())
}

/// Soft-deletes a pipeline at the client's expected version. A pipeline that live deals
/// are still in is a conflict. Its stages stay as they are, so a restore brings them back.
pub async fn delete(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
) -> Result<(), RepoError> {
    let txn = crate::begin_write(db).await?;
    let pipeline = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version(Entity::NAME, expected, pipeline.version)?;
    let deals = count_live_deals(&txn, scope, deal::Column::PipelineId, id).await?;
    if deals > 0 {
        return Err(RepoError::Conflict {
            code: "pipeline_in_use",
            message: format!(
                "pipeline {:?} still has {deals} live deal(s): move them to another pipeline or delete them first",
                pipeline.name
            ),
        });
    }
    mark_deleted::<Entity, _>(&txn, scope, id, pipeline.version, true).await?;
    txn.commit().await?;
    Ok(())
}

/// Restores a deleted pipeline, with the stages it had when it was deleted.
pub async fn restore(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
) -> Result<PipelineWithStages, RepoError> {
    let pipeline = super::restore::<Entity>(db, scope, id, expected).await?;
    let stages = load_stages(db, scope, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    Ok(PipelineWithStages { pipeline, stages })
}

/// Lists pipelines visible to `scope`, each with its stages, loading the stages of the
/// whole page in one query.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: PipelineFilter,
    options: &ListOptions,
) -> Result<Page<PipelineWithStages>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    let mut condition = visible::<Entity>(scope);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        condition = condition.add(contains_text(Column::Name, &like_pattern(q)));
    }
    if let Some(since) = filter.updated_since {
        condition = condition.add(Column::UpdatedAt.gte(since));
    }
    let page = fetch_page(
        db,
        Entity::find().filter(condition),
        sort_text,
        &sort,
        options,
    )
    .await?;
    let ids: Vec<Uuid> = page.rows.iter().map(|pipeline| pipeline.id).collect();
    let mut stages = load_stages(db, scope, &ids).await?;
    Ok(page.map(|pipeline| PipelineWithStages {
        stages: stages.remove(&pipeline.id).unwrap_or_default(),
        pipeline,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(name: &str, probability: i32, kind: StageKind) -> NewStage {
        NewStage::from((name, probability, kind))
    }

    fn error_codes(result: Result<(), RepoError>) -> Vec<(String, &'static str)> {
        match result {
            Err(RepoError::Invalid(errors)) => errors
                .into_iter()
                .map(|error| (error.field, error.code))
                .collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn default_stages_are_valid() {
        let stages: Vec<NewStage> = DEFAULT_STAGES.into_iter().map(NewStage::from).collect();
        assert_eq!(stages.len(), 6);
        assert!(validate_stages(&stages).is_ok());
    }

    #[test]
    fn validate_rejects_empty_list() {
        let codes = error_codes(validate_stages(&[]));
        assert_eq!(codes, vec![("stages".to_owned(), "invalid_length")]);
    }

    #[test]
    fn validate_rejects_too_many_stages() {
        let mut stages: Vec<NewStage> = (0..MAX_STAGES)
            .map(|index| stage(&format!("Step {index}"), 10, StageKind::Open))
            .collect();
        stages.push(stage("Won", 100, StageKind::Won));
        let codes = error_codes(validate_stages(&stages));
        assert_eq!(codes, vec![("stages".to_owned(), "invalid_length")]);
    }

    #[test]
    fn validate_rejects_duplicate_names_ignoring_case() {
        let stages = [
            stage("Lead", 10, StageKind::Open),
            stage(" lead ", 20, StageKind::Open),
            stage("Won", 100, StageKind::Won),
        ];
        let codes = error_codes(validate_stages(&stages));
        assert_eq!(codes, vec![("stages[1].name".to_owned(), "duplicate_name")]);
    }

    #[test]
    fn validate_requires_open_and_won() {
        let only_won = [stage("Won", 100, StageKind::Won)];
        assert_eq!(
            error_codes(validate_stages(&only_won)),
            vec![("stages".to_owned(), "missing_open_stage")]
        );
        let only_open = [
            stage("Lead", 10, StageKind::Open),
            stage("Lost", 0, StageKind::Lost),
        ];
        assert_eq!(
            error_codes(validate_stages(&only_open)),
            vec![("stages".to_owned(), "missing_won_stage")]
        );
    }

    #[test]
    fn validate_checks_each_stage() {
        let stages = [
            stage("  ", 10, StageKind::Open),
            stage("Lead", 101, StageKind::Open),
            stage(&"x".repeat(MAX_STAGE_NAME + 1), -1, StageKind::Won),
        ];
        let codes = error_codes(validate_stages(&stages));
        let expected = vec![
            ("stages[0].name".to_owned(), "required"),
            ("stages[1].probability".to_owned(), "out_of_range"),
            ("stages[2].name".to_owned(), "too_long"),
            ("stages[2].probability".to_owned(), "out_of_range"),
        ];
        assert_eq!(codes, expected);
    }

    #[test]
    fn stage_ids_must_belong_to_pipeline() {
        let now = domain::time::now_utc();
        let existing = stage::Model {
            id: Uuid::now_v7(),
            org_id: Uuid::nil(),
            version: 1,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            pipeline_id: Uuid::nil(),
            name: "Lead".to_owned(),
            position: 0,
            probability: 10,
            kind: "open".to_owned(),
        };
        let input = |id| StageInput {
            id: Some(id),
            stage: stage("Lead", 10, StageKind::Open),
        };
        let inputs = [input(existing.id), input(Uuid::nil()), input(existing.id)];
        let codes = error_codes(check_stage_ids(&[existing], &inputs));
        let expected = vec![
            ("stages[1].id".to_owned(), "unknown_stage"),
            ("stages[2].id".to_owned(), "duplicate_stage"),
        ];
        assert_eq!(codes, expected);
    }
}
