//! The pipeline board: deal counts and amount sums per stage and currency, computed in one
//! grouped query so that no caller loads the deals to count them.

use domain::Scope;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::pipelines::{self, PipelineWithStages};
use crate::RepoError;
use crate::entities::deal::{Column, Entity};
use crate::list::{contains_text, like_pattern};
use crate::tenant::visible;

/// Ten-thousandths per currency unit, the scale of `amount_e4`.
const E4_PER_UNIT: i64 = 10_000;

/// Filters of the board, with the same meaning as on the deal list.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    /// Text to find in the deal name, ignoring case.
    pub q: Option<String>,
}

/// The live deals of one stage in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageCurrencyTotal {
    pub stage_id: Uuid,
    /// ISO 4217 code of the deals' currency.
    pub currency: String,
    /// Number of deals, with or without an amount.
    pub deals: u64,
    /// Sum of the amounts in ten-thousandths, `None` when no deal of the group has one.
    pub amount_e4: Option<i128>,
}

/// A live pipeline with its stages and the deal totals of each stage and currency.
#[derive(Debug, Clone)]
pub struct BoardSummary {
    pub pipeline: PipelineWithStages,
    /// One entry per stage and currency that has deals, in no particular order.
    pub totals: Vec<StageCurrencyTotal>,
}

/// One row of the grouped query: stage id, currency, deal count, and the two partial sums
/// that [`join_sum`] combines.
type GroupRow = (Uuid, String, i64, Option<i64>, Option<i64>);

/// Counts and sums the live deals of a pipeline visible to `scope`, per stage and currency.
/// Runs three queries: the pipeline, its stages, and one grouped aggregate over the deals.
pub async fn summary(
    db: &DatabaseConnection,
    scope: &Scope,
    pipeline_id: Uuid,
    filter: BoardFilter,
) -> Result<BoardSummary, RepoError> {
    let pipeline = pipelines::get(db, scope, pipeline_id).await?;
    let rows: Vec<GroupRow> = Entity::find()
        .select_only()
        .column(Column::StageId)
        .column(Column::Currency)
        .column_as(Column::Id.count(), "deals")
        .column_as(
            sum_as_bigint(Expr::col(Column::AmountE4).div(E4_PER_UNIT)),
            "whole_units",
        )
        .column_as(
            sum_as_bigint(Expr::col(Column::AmountE4).modulo(E4_PER_UNIT)),
            "rest_e4",
        )
        .filter(board_condition(scope, pipeline_id, filter))
        .group_by(Column::StageId)
        .group_by(Column::Currency)
        .into_tuple()
        .all(db)
        .await?;
    let totals = rows
        .into_iter()
        .map(
            |(stage_id, currency, deals, whole_units, rest_e4)| StageCurrencyTotal {
                stage_id,
                currency,
                deals: u64::try_from(deals).unwrap_or(0),
                amount_e4: join_sum(whole_units, rest_e4),
            },
        )
        .collect();
    Ok(BoardSummary { pipeline, totals })
}

/// `CAST(SUM(expr) AS BIGINT)`. PostgreSQL sums `bigint` into `numeric`, which would not
/// decode as `i64`, and SQLite already returns an integer, so the cast makes both alike.
fn sum_as_bigint(expr: Expr) -> Expr {
    Func::cast_as(Func::sum(expr), "BIGINT").into()
}

/// Rebuilds a sum in ten-thousandths from its whole units and its remainder.
///
/// Summing `amount_e4` directly could overflow 64 bits once a stage contains ten amounts near
/// the 10^14 limit, and SQLite fails the whole query on integer overflow. Summing
/// `amount_e4 / 10000` and `amount_e4 % 10000` apart keeps both sums far from that limit.
/// Both databases truncate integer division toward zero and give the remainder the sign of
/// the dividend, so `whole * 10000 + rest` equals the exact sum for negative amounts too.
fn join_sum(whole_units: Option<i64>, rest_e4: Option<i64>) -> Option<i128> {
    match (whole_units, rest_e4) {
        (None, None) => None,
        (whole, rest) => Some(
            i128::from(whole.unwrap_or(0)) * i128::from(E4_PER_UNIT)
                + i128::from(rest.unwrap_or(0)),
        ),
    }
}

/// Builds the condition for the live deals of the pipeline that `scope` may see and that
/// match `filter`. The text match is the deal list's, so the board and the list agree.
fn board_condition(scope: &Scope, pipeline_id: Uuid, filter: BoardFilter) -> sea_orm::Condition {
    let mut condition = visible::<Entity>(scope)
        .add(Column::PipelineId.eq(pipeline_id))
        .add(Column::DeletedAt.is_null());
    if let Some(owner_id) = filter.owner_id {
        condition = condition.add(Column::OwnerId.eq(owner_id));
    }
    if let Some(team_id) = filter.team_id {
        condition = condition.add(Column::TeamId.eq(team_id));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        condition = condition.add(contains_text(Column::Name, &like_pattern(q)));
    }
    condition
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_sum_without_amounts_is_none() {
        assert_eq!(join_sum(None, None), None);
    }

    #[test]
    fn join_sum_rebuilds_positive_sum() {
        // 1234.5678 + 1.0001 = 1235.5679, summed as 1235 units and 5679 ten-thousandths.
        assert_eq!(join_sum(Some(1235), Some(5679)), Some(12_355_679));
    }

    #[test]
    fn join_sum_rebuilds_negative_parts() {
        // -1.5 + 3.25 = 1.75: the parts are (-1 + 3) units and (-5000 + 2500) ten-thousandths.
        assert_eq!(join_sum(Some(2), Some(-2500)), Some(17_500));
    }

    #[test]
    fn join_sum_exceeds_64_bits() {
        let whole = i64::MAX / 2;
        let expected = i128::from(whole) * 10_000 + 9_999;
        assert_eq!(join_sum(Some(whole), Some(9_999)), Some(expected));
        assert!(expected > i128::from(i64::MAX));
    }
}
