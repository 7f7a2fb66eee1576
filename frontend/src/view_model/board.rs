//! The pipeline board: columns with their counts, totals and loaded cards, and the moves of
//! cards between columns.
//!
//! A drop moves the card at once (optimistically) and sends the change. The server's
//! response then confirms the card, places it where the server has it, or puts it back.

use api_types::Page;
use api_types::board::{Board, BoardStage};
use api_types::deals::{Deal, DealStage, DealStatus};
use api_types::pipelines::StageKind;
use uuid::Uuid;

use super::paging::PageStatus;
use super::totals::{add_amount, subtract_amount};

/// One stage of the board.
#[derive(Debug, Clone)]
pub struct Column {
    pub stage: BoardStage,
    /// The loaded cards, the most recently changed first.
    pub cards: Vec<Deal>,
    /// The cursor of the next page of cards, `None` when all are loaded.
    pub next_cursor: Option<String>,
    pub status: PageStatus,
}

/// A card move that has been shown but not yet confirmed by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMove {
    pub deal_id: Uuid,
    pub deal_name: String,
    pub from_stage: Uuid,
    pub to_stage: Uuid,
    /// The card's place in its old column, to put it back there.
    pub from_index: usize,
    /// The deal version the move was made on, sent as `If-Match`.
    pub version: i64,
}

/// The columns of one pipeline.
#[derive(Debug, Clone, Default)]
pub struct BoardModel {
    pub pipeline_id: Option<Uuid>,
    pub columns: Vec<Column>,
}

fn status_of(kind: StageKind) -> DealStatus {
    match kind {
        StageKind::Open => DealStatus::Open,
        StageKind::Won => DealStatus::Won,
        StageKind::Lost => DealStatus::Lost,
    }
}

impl BoardModel {
    /// Builds the columns of a board summary, with no cards loaded yet.
    pub fn from_board(board: Board) -> BoardModel {
        let columns = board
            .stages
            .into_iter()
            .map(|stage| Column {
                stage,
                cards: Vec::new(),
                next_cursor: None,
                status: PageStatus::Loading,
            })
            .collect();
        BoardModel {
            pipeline_id: Some(board.pipeline_id),
            columns,
        }
    }

    fn column_mut(&mut self, stage_id: Uuid) -> Option<&mut Column> {
        self.columns
            .iter_mut()
            .find(|column| column.stage.id == stage_id)
    }

    /// Adds a page of cards to a column, skipping cards already on the board. With
    /// `append` false the page replaces the column's cards.
    pub fn add_cards(&mut self, stage_id: Uuid, page: Page<Deal>, append: bool) {
        let Some(column) = self.column_mut(stage_id) else {
            return;
        };
        if !append {
            column.cards.clear();
        }
        for deal in page.data {
            if !column.cards.iter().any(|card| card.id == deal.id) {
                column.cards.push(deal);
            }
        }
        column.next_cursor = page.next_cursor;
        column.status = PageStatus::Idle;
    }

    /// Sets the loading state of a column's cards.
    pub fn set_cards_status(&mut self, stage_id: Uuid, status: PageStatus) {
        if let Some(column) = self.column_mut(stage_id) {
            column.status = status;
        }
    }

    /// Finds a card as `(column index, card index)`.
    pub fn find_card(&self, deal_id: Uuid) -> Option<(usize, usize)> {
        self.columns.iter().enumerate().find_map(|(column, entry)| {
            let card = entry.cards.iter().position(|card| card.id == deal_id)?;
            Some((column, card))
        })
    }

    /// Plans the move of a card to another column, or `None` when the card is not on the
    /// board, the column does not exist, or the card is already in it.
    pub fn plan_drop(&self, deal_id: Uuid, to_stage: Uuid) -> Option<PendingMove> {
        let (column, index) = self.find_card(deal_id)?;
        let from = &self.columns[column];
        let exists = self
            .columns
            .iter()
            .any(|column| column.stage.id == to_stage);
        if !exists || from.stage.id == to_stage {
            return None;
        }
        let card = &from.cards[index];
        Some(PendingMove {
            deal_id,
            deal_name: card.name.clone(),
            from_stage: from.stage.id,
            to_stage,
            from_index: index,
            version: card.version,
        })
    }

    /// Removes a card from its column, taking it out of the count and totals.
    fn take_card(&mut self, deal_id: Uuid) -> Option<Deal> {
        let (column, index) = self.find_card(deal_id)?;
        let column = &mut self.columns[column];
        let card = column.cards.remove(index);
        column.stage.count = column.stage.count.saturating_sub(1);
        if let Some(amount) = &card.amount {
            subtract_amount(&mut column.stage.totals, amount);
        }
        Some(card)
    }

    /// Puts a card into the column of `stage_id` at `index` (clamped), adding it to the
    /// count and totals. The card's stage fields follow the column.
    fn put_card(&mut self, stage_id: Uuid, mut card: Deal, index: usize) {
        let Some(column) = self.column_mut(stage_id) else {
            return;
        };
        card.stage_id = stage_id;
        card.stage = Some(DealStage {
            id: stage_id,
            name: column.stage.name.clone(),
            kind: status_of(column.stage.kind),
            probability: column.stage.probability,
        });
        column.stage.count += 1;
        if let Some(amount) = &card.amount {
            add_amount(&mut column.stage.totals, amount);
        }
        let index = index.min(column.cards.len());
        column.cards.insert(index, card);
    }

    /// Shows a planned move at once: the card goes to the top of its new column.
    pub fn apply_move(&mut self, pending: &PendingMove) {
        if let Some(card) = self.take_card(pending.deal_id) {
            self.put_card(pending.to_stage, card, 0);
        }
    }

    /// Puts a card back where it was before a failed move.
    pub fn revert_move(&mut self, pending: &PendingMove) {
        if let Some(card) = self.take_card(pending.deal_id) {
            self.put_card(pending.from_stage, card, pending.from_index);
        }
    }

    /// Places the server's version of a deal in the column of its stage, replacing the
    /// card wherever it is, with counts and totals following. A deal of a stage not on
    /// this board is removed from it.
    pub fn place(&mut self, deal: Deal) {
        let old_index = self.find_card(deal.id).map(|(_, index)| index);
        let same_column = self
            .find_card(deal.id)
            .is_some_and(|(column, _)| self.columns[column].stage.id == deal.stage_id);
        self.take_card(deal.id);
        let index = match same_column {
            true => old_index.unwrap_or(0),
            false => 0,
        };
        let stage_id = deal.stage_id;
        self.put_card(stage_id, deal, index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::Money;
    use time::OffsetDateTime;

    fn stage(id: u128, name: &str, count: u64, totals: Vec<Money>) -> BoardStage {
        BoardStage {
            id: Uuid::from_u128(id),
            name: name.to_owned(),
            kind: StageKind::Open,
            position: 0,
            probability: 10,
            count,
            totals,
        }
    }

    fn money(amount: &str, currency: &str) -> Money {
        Money {
            amount: amount.parse().unwrap_or_default(),
            currency: currency.to_owned(),
        }
    }

    fn deal(id: u128, stage_id: u128, amount: Option<Money>) -> Deal {
        let now = OffsetDateTime::UNIX_EPOCH;
        Deal {
            id: Uuid::from_u128(id),
            name: format!("Deal {id}"),
            pipeline_id: Uuid::nil(),
            stage_id: Uuid::from_u128(stage_id),
            stage: None,
            owner_id: None,
            team_id: None,
            company_id: None,
            currency: amount
                .as_ref()
                .map_or("USD".to_owned(), |money| money.currency.clone()),
            amount,
            exchange_rate: "1".to_owned(),
            close_exchange_rate: None,
            expected_close_date: None,
            engaged_on: None,
            closed_on: None,
            source: None,
            channel: None,
            region: None,
            customer_type: None,
            win_loss_reason: None,
            competitor: None,
            next_step: None,
            external_ref: None,
            contact_ids: Vec::new(),
            line_items: Vec::new(),
            version: 3,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            stage_changed_at: now,
        }
    }

    /// Two columns: A with deals 10 (100 USD) and 11 (50 EUR), B with deal 20 (5 USD).
    fn board() -> BoardModel {
        let mut model = BoardModel::from_board(Board {
            pipeline_id: Uuid::nil(),
            stages: vec![
                stage(
                    1,
                    "A",
                    2,
                    vec![money("50.00", "EUR"), money("100.00", "USD")],
                ),
                stage(2, "B", 1, vec![money("5.00", "USD")]),
            ],
        });
        let page = |data| Page {
            data,
            next_cursor: None,
            total: None,
        };
        let a = vec![
            deal(10, 1, Some(money("100.00", "USD"))),
            deal(11, 1, Some(money("50.00", "EUR"))),
        ];
        model.add_cards(Uuid::from_u128(1), page(a), false);
        model.add_cards(
            Uuid::from_u128(2),
            page(vec![deal(20, 2, Some(money("5.00", "USD")))]),
            false,
        );
        model
    }

    fn ids(model: &BoardModel, column: usize) -> Vec<u128> {
        model.columns[column]
            .cards
            .iter()
            .map(|card| card.id.as_u128())
            .collect()
    }

    #[test]
    fn drop_on_same_column_is_ignored() {
        let model = board();
        assert_eq!(
            model.plan_drop(Uuid::from_u128(10), Uuid::from_u128(1)),
            None
        );
        assert_eq!(
            model.plan_drop(Uuid::from_u128(99), Uuid::from_u128(2)),
            None
        );
        assert_eq!(
            model.plan_drop(Uuid::from_u128(10), Uuid::from_u128(9)),
            None
        );
    }

    #[test]
    fn drop_plan_records_origin_and_version() {
        let model = board();
        let pending = model.plan_drop(Uuid::from_u128(11), Uuid::from_u128(2));
        let Some(pending) = pending else {
            panic!("the move should be planned");
        };
        assert_eq!(pending.from_stage, Uuid::from_u128(1));
        assert_eq!(pending.from_index, 1);
        assert_eq!(pending.version, 3);
    }

    #[test]
    fn move_updates_counts_and_totals() {
        let mut model = board();
        let pending = model.plan_drop(Uuid::from_u128(10), Uuid::from_u128(2));
        let Some(pending) = pending else {
            panic!("the move should be planned");
        };
        model.apply_move(&pending);
        assert_eq!(ids(&model, 0), vec![11]);
        assert_eq!(ids(&model, 1), vec![10, 20], "the card goes to the top");
        assert_eq!(model.columns[0].stage.count, 1);
        assert_eq!(model.columns[1].stage.count, 2);
        assert_eq!(model.columns[0].stage.totals, vec![money("50.00", "EUR")]);
        assert_eq!(model.columns[1].stage.totals, vec![money("105.00", "USD")]);
        assert_eq!(model.columns[1].cards[0].stage_id, Uuid::from_u128(2));
    }

    #[test]
    fn revert_restores_place_and_totals() {
        let mut model = board();
        let pending = model.plan_drop(Uuid::from_u128(10), Uuid::from_u128(2));
        let Some(pending) = pending else {
            panic!("the move should be planned");
        };
        model.apply_move(&pending);
        model.revert_move(&pending);
        assert_eq!(ids(&model, 0), vec![10, 11]);
        assert_eq!(ids(&model, 1), vec![20]);
        assert_eq!(model.columns[0].stage.count, 2);
        assert_eq!(
            model.columns[0].stage.totals,
            vec![money("50.00", "EUR"), money("100.00", "USD")]
        );
        assert_eq!(model.columns[1].stage.totals, vec![money("5.00", "USD")]);
    }

    #[test]
    fn place_follows_server_stage() {
        let mut model = board();
        let pending = model.plan_drop(Uuid::from_u128(10), Uuid::from_u128(2));
        let Some(pending) = pending else {
            panic!("the move should be planned");
        };
        model.apply_move(&pending);
        // Someone else had changed the amount and kept the deal in A.
        let mut fresh = deal(10, 1, Some(money("70.00", "USD")));
        fresh.version = 4;
        model.place(fresh);
        assert_eq!(ids(&model, 0), vec![10, 11]);
        assert_eq!(ids(&model, 1), vec![20]);
        assert_eq!(model.columns[0].cards[0].version, 4);
        assert_eq!(
            model.columns[0].stage.totals,
            vec![money("50.00", "EUR"), money("70.00", "USD")]
        );
        assert_eq!(model.columns[1].stage.count, 1);
    }

    #[test]
    fn place_keeps_position_in_same_column() {
        let mut model = board();
        let mut fresh = deal(11, 1, Some(money("50.00", "EUR")));
        fresh.version = 9;
        model.place(fresh);
        assert_eq!(ids(&model, 0), vec![10, 11]);
        assert_eq!(model.columns[0].cards[1].version, 9);
        assert_eq!(model.columns[0].stage.count, 2);
    }

    #[test]
    fn loading_more_skips_known_cards() {
        let mut model = board();
        let page = Page {
            data: vec![deal(11, 1, None), deal(12, 1, None)],
            next_cursor: Some("next".to_owned()),
            total: None,
        };
        model.add_cards(Uuid::from_u128(1), page, true);
        assert_eq!(ids(&model, 0), vec![10, 11, 12]);
        assert_eq!(model.columns[0].next_cursor.as_deref(), Some("next"));
    }
}
