//! `/pipelines/{id}/board`: deal counts and amount totals per stage of a pipeline.
//!
//! The route lives under `/pipelines/{id}` because `/deals/board` would match the earlier
//! `/deals/{id}` route and fail there as an invalid deal id.

use actix_web::{HttpResponse, get, web};
use api_types::board::{Board, BoardStage};
use api_types::pipelines::StageKind as KindBody;
use api_types::{Money, Problem};
use domain::{Currency, StageKind};
use persistence::entities::stage;
use persistence::repo::board::{self, BoardFilter, StageCurrencyTotal};
use persistence::repo::deals::stage_kind;
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Member;
use crate::state::AppState;

/// The scale of stored amounts: ten-thousandths.
const STORED_SCALE: u32 = 4;

pub fn configure(config: &mut ServiceConfig) {
    config.service(pipeline_board);
}

/// Query parameters of the board, with the same meaning as on `GET /deals`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    /// Only deals owned by this member.
    owner_id: Option<Uuid>,
    /// Only deals of this team.
    team_id: Option<Uuid>,
    /// Text to find in the deal name, ignoring case.
    q: Option<String>,
}

fn kind_out(kind: StageKind) -> KindBody {
    match kind {
        StageKind::Open => KindBody::Open,
        StageKind::Won => KindBody::Won,
        StageKind::Lost => KindBody::Lost,
    }
}

/// Converts a sum in ten-thousandths into an amount at the currency's scale. A `Decimal`
/// holds up to about 7.9 * 10^24 units at that scale, far above any sum of 64-bit parts,
/// so the `None` for a failed conversion is not expected in practice.
fn total_out(total: &StageCurrencyTotal) -> Option<Money> {
    let mut amount = Decimal::try_from_i128_with_scale(total.amount_e4?, STORED_SCALE).ok()?;
    let digits = Currency::parse(&total.currency)
        .map(Currency::minor_digits)
        .unwrap_or(STORED_SCALE);
    amount.rescale(digits);
    Some(Money {
        amount,
        currency: total.currency.clone(),
    })
}

/// Builds one column from a stage and the totals of every stage.
fn stage_out(stage: stage::Model, totals: &[StageCurrencyTotal]) -> BoardStage {
    let mine: Vec<&StageCurrencyTotal> = totals
        .iter()
        .filter(|total| total.stage_id == stage.id)
        .collect();
    let mut sums: Vec<Money> = mine.iter().filter_map(|total| total_out(total)).collect();
    sums.sort_by(|a, b| a.currency.cmp(&b.currency));
    BoardStage {
        kind: kind_out(stage_kind(&stage)),
        count: mine.iter().map(|total| total.deals).sum(),
        totals: sums,
        id: stage.id,
        name: stage.name,
        position: stage.position,
        probability: stage.probability,
    }
}

/// Get the board of a pipeline
///
/// Returns every live stage of the pipeline in order with the number of matching deals in
/// it and the sum of their amounts per currency. Fetch the cards of a column from
/// `GET /deals?stage_id=…&sort=-updated_at` with the same filters.
#[utoipa::path(
    tag = "deals",
    params(("id" = Uuid, Path, description = "Pipeline id"), BoardQuery),
    responses(
        (status = 200, description = "The stages with their counts and totals", body = Board),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pipeline in this organization, or an id that is not a UUID", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pipelines/{id}/board")]
async fn pipeline_board(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    query: web::Query<BoardQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let filter = BoardFilter {
        owner_id: query.owner_id,
        team_id: query.team_id,
        q: query.q,
    };
    let summary = board::summary(&state.db, &member.scope, id.into_inner(), filter).await?;
    let stages = summary
        .pipeline
        .stages
        .into_iter()
        .map(|stage| stage_out(stage, &summary.totals))
        .collect();
    Ok(HttpResponse::Ok().json(Board {
        pipeline_id: summary.pipeline.pipeline.id,
        stages,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(currency: &str, amount_e4: Option<i128>) -> StageCurrencyTotal {
        StageCurrencyTotal {
            stage_id: Uuid::nil(),
            currency: currency.to_owned(),
            deals: 1,
            amount_e4,
        }
    }

    #[test]
    fn total_uses_currency_scale() {
        let usd = total_out(&total("USD", Some(12_345_000)));
        assert_eq!(
            usd.map(|money| money.amount.to_string()),
            Some("1234.50".to_owned())
        );
        let jpy = total_out(&total("JPY", Some(50_000)));
        assert_eq!(
            jpy.map(|money| money.amount.to_string()),
            Some("5".to_owned())
        );
    }

    #[test]
    fn total_without_amounts_is_left_out() {
        assert!(total_out(&total("EUR", None)).is_none());
    }
}
