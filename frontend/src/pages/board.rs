//! The pipeline board: one column per stage with its count and totals, and cards that move
//! between columns by drag and drop.

use std::collections::HashSet;
use std::rc::Rc;

use api_types::Page;
use api_types::board::Board;
use api_types::deals::{Deal, DealPatch};
use uuid::Uuid;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::board::BoardQuery;
use crate::api::deals::DealQuery;
use crate::api::{self, ApiError};
use crate::components::board_column::BoardColumn;
use crate::components::board_filters::{BoardFilterValues, BoardFilters};
use crate::components::deal_card::CardView;
use crate::components::remote::{Failed, Loading, error_message};
use crate::hooks::{Directory, use_directory, use_i18n};
use crate::i18n::{I18n, Key};
use crate::view_model::board::{BoardModel, PendingMove};
use crate::view_model::paging::PageStatus;

/// Cards loaded per column at a time.
const CARDS_PER_PAGE: u32 = 20;

/// A message above the board about the last move.
#[derive(Debug, Clone, PartialEq)]
struct Notice {
    text: String,
}

#[derive(Clone)]
enum Summary {
    Loading,
    Loaded,
    Failed(ApiError),
}

#[derive(Clone)]
struct BoardState {
    /// Increases with every change of pipeline or filters, so that responses for older ones are
    /// dropped.
    generation: u64,
    summary: Summary,
    model: BoardModel,
    /// Deals whose move waits for the server.
    saving: Rc<HashSet<Uuid>>,
    notice: Option<Notice>,
}

enum BoardAction {
    Reset(u64),
    Summary(u64, Result<Board, ApiError>),
    CardsLoading(u64, Uuid),
    Cards {
        generation: u64,
        stage_id: Uuid,
        result: Result<Page<Deal>, ApiError>,
        append: bool,
    },
    Move(PendingMove),
    Confirm(Deal),
    Revert(PendingMove, Notice),
    Place(Deal, Notice),
    Dismiss,
}

impl BoardState {
    /// Marks the move of a deal as finished.
    fn finish_saving(&mut self, deal_id: Uuid) {
        let mut saving = (*self.saving).clone();
        saving.remove(&deal_id);
        self.saving = Rc::new(saving);
    }
}

impl Reducible for BoardState {
    type Action = BoardAction;

    fn reduce(self: Rc<Self>, action: BoardAction) -> Rc<Self> {
        let mut state = (*self).clone();
        match action {
            BoardAction::Reset(generation) => {
                state.generation = generation;
                state.summary = Summary::Loading;
                state.model = BoardModel::default();
            }
            BoardAction::Summary(generation, _) | BoardAction::CardsLoading(generation, _)
                if generation != state.generation =>
            {
                return self;
            }
            BoardAction::Cards { generation, .. } if generation != state.generation => return self,
            BoardAction::Summary(_, Ok(board)) => {
                state.model = BoardModel::from_board(board);
                state.summary = Summary::Loaded;
            }
            BoardAction::Summary(_, Err(error)) => state.summary = Summary::Failed(error),
            BoardAction::CardsLoading(_, stage_id) => {
                let status = match state
                    .model
                    .columns
                    .iter()
                    .any(|c| c.stage.id == stage_id && c.next_cursor.is_some())
                {
                    true => PageStatus::LoadingMore,
                    false => PageStatus::Loading,
                };
                state.model.set_cards_status(stage_id, status);
            }
            BoardAction::Cards {
                stage_id,
                result,
                append,
                ..
            } => match result {
                Ok(page) => state.model.add_cards(stage_id, page, append),
                Err(error) if append => state
                    .model
                    .set_cards_status(stage_id, PageStatus::MoreFailed(error)),
                Err(error) => state
                    .model
                    .set_cards_status(stage_id, PageStatus::Failed(error)),
            },
            BoardAction::Move(pending) => {
                state.model.apply_move(&pending);
                let mut saving = (*state.saving).clone();
                saving.insert(pending.deal_id);
                state.saving = Rc::new(saving);
                state.notice = None;
            }
            BoardAction::Confirm(deal) => {
                state.finish_saving(deal.id);
                state.model.place(deal);
            }
            BoardAction::Revert(pending, notice) => {
                state.finish_saving(pending.deal_id);
                state.model.revert_move(&pending);
                state.notice = Some(notice);
            }
            BoardAction::Place(deal, notice) => {
                state.finish_saving(deal.id);
                state.model.place(deal);
                state.notice = Some(notice);
            }
            BoardAction::Dismiss => state.notice = None,
        }
        Rc::new(state)
    }
}

fn board_query(filters: &BoardFilterValues) -> BoardQuery {
    BoardQuery {
        owner_id: filters.owner_id,
        team_id: filters.team_id,
        q: Some(filters.q.clone()).filter(|q| !q.is_empty()),
    }
}

/// Fetches a page of a column's cards, the most recently changed first.
fn load_cards(
    filters: &BoardFilterValues,
    stage_id: Uuid,
    cursor: Option<String>,
    generation: u64,
    dispatcher: UseReducerDispatcher<BoardState>,
) {
    let append = cursor.is_some();
    let query = DealQuery {
        limit: Some(CARDS_PER_PAGE),
        cursor,
        sort: Some("-updated_at".to_owned()),
        pipeline_id: filters.pipeline_id,
        stage_id: Some(stage_id),
        owner_id: filters.owner_id,
        team_id: filters.team_id,
        q: Some(filters.q.clone()).filter(|q| !q.is_empty()),
        ..DealQuery::default()
    };
    dispatcher.dispatch(BoardAction::CardsLoading(generation, stage_id));
    spawn_local(async move {
        let result = api::deals::list_deals(&query).await;
        dispatcher.dispatch(BoardAction::Cards {
            generation,
            stage_id,
            result,
            append,
        });
    });
}

/// Loads the summary of the chosen pipeline, then the first cards of every column.
fn load_board(
    filters: BoardFilterValues,
    generation: u64,
    dispatcher: UseReducerDispatcher<BoardState>,
) {
    dispatcher.dispatch(BoardAction::Reset(generation));
    let Some(pipeline_id) = filters.pipeline_id else {
        return;
    };
    spawn_local(async move {
        let result = api::board::get_board(pipeline_id, &board_query(&filters)).await;
        let stage_ids: Vec<Uuid> = match &result {
            Ok(board) => board.stages.iter().map(|stage| stage.id).collect(),
            Err(_) => Vec::new(),
        };
        dispatcher.dispatch(BoardAction::Summary(generation, result));
        for stage_id in stage_ids {
            load_cards(&filters, stage_id, None, generation, dispatcher.clone());
        }
    });
}

/// Sends a planned move and applies the server's response: the confirmed deal, the deal as
/// someone else left it (412), or the card put back with the reason.
fn send_move(pending: PendingMove, i18n: I18n, dispatcher: UseReducerDispatcher<BoardState>) {
    dispatcher.dispatch(BoardAction::Move(pending.clone()));
    spawn_local(async move {
        let patch = DealPatch {
            stage_id: Some(pending.to_stage),
            ..DealPatch::default()
        };
        let deal = [("deal", pending.deal_name.as_str())];
        match api::deals::update_deal(pending.deal_id, pending.version, patch).await {
            Ok(updated) => dispatcher.dispatch(BoardAction::Confirm(updated)),
            Err(error) if error.is_stale() => match api::deals::get_deal(pending.deal_id).await {
                Ok(current) => {
                    let text = i18n.fill(Key::MoveStale, &deal);
                    dispatcher.dispatch(BoardAction::Place(current, Notice { text }));
                }
                Err(reload) => {
                    let text = format!(
                        "{} {}",
                        i18n.fill(Key::MoveStale, &deal),
                        error_message(&i18n, &reload)
                    );
                    dispatcher.dispatch(BoardAction::Revert(pending, Notice { text }));
                }
            },
            Err(error) => {
                let text = format!(
                    "{} {}",
                    i18n.fill(Key::MoveFailed, &deal),
                    error_message(&i18n, &error)
                );
                dispatcher.dispatch(BoardAction::Revert(pending, Notice { text }));
            }
        }
    });
}

fn card_view(deal: &Deal, directory: &Directory, i18n: &I18n) -> CardView {
    CardView {
        id: deal.id,
        name: deal.name.clone(),
        company: directory.name(deal.company_id).map(str::to_owned),
        owner: directory.name(deal.owner_id).map(str::to_owned),
        amount: deal.amount.as_ref().map(|amount| i18n.money(amount)),
        expected_close: deal.expected_close_date.map(|date| i18n.date(date)),
        stage_id: deal.stage_id,
    }
}

/// Callbacks that every column shares.
struct ColumnCallbacks {
    on_move: Callback<(Uuid, Uuid)>,
    on_load_more: Callback<Uuid>,
}

/// Renders the columns of the board with their cards.
fn columns_view(
    state: &BoardState,
    directory: &Directory,
    i18n: &I18n,
    callbacks: &ColumnCallbacks,
) -> Html {
    let stages: Rc<Vec<(Uuid, String)>> = Rc::new(
        state
            .model
            .columns
            .iter()
            .map(|column| (column.stage.id, column.stage.name.clone()))
            .collect(),
    );
    let columns = state.model.columns.iter().map(|column| {
        let cards: Vec<CardView> = column
            .cards
            .iter()
            .map(|deal| card_view(deal, directory, i18n))
            .collect();
        html! {
            <BoardColumn key={column.stage.id.to_string()} stage_id={column.stage.id}
                name={column.stage.name.clone()} count={column.stage.count}
                totals={column.stage.totals.clone()} {cards} stages={stages.clone()}
                status={column.status.clone()} has_more={column.next_cursor.is_some()}
                saving={state.saving.clone()} on_move={callbacks.on_move.clone()}
                on_load_more={callbacks.on_load_more.clone()} />
        }
    });
    html! { <div class="board" id="board">{ for columns }</div> }
}

/// Builds the callback that plans a move and sends it, ignoring cards still being saved.
fn move_callback(state: &UseReducerHandle<BoardState>, i18n: &I18n) -> Callback<(Uuid, Uuid)> {
    let (state, i18n) = (state.clone(), i18n.clone());
    Callback::from(move |(deal_id, stage_id): (Uuid, Uuid)| {
        if state.saving.contains(&deal_id) {
            return;
        }
        if let Some(pending) = state.model.plan_drop(deal_id, stage_id) {
            send_move(pending, i18n.clone(), state.dispatcher());
        }
    })
}

/// Builds the callback that loads the next page of a column's cards.
fn load_more_callback(
    state: &UseReducerHandle<BoardState>,
    filters: &UseStateHandle<BoardFilterValues>,
) -> Callback<Uuid> {
    let (state, filters) = (state.clone(), filters.clone());
    Callback::from(move |stage_id: Uuid| {
        let column = state
            .model
            .columns
            .iter()
            .find(|column| column.stage.id == stage_id);
        let cursor = column.and_then(|column| column.next_cursor.clone());
        load_cards(
            &filters,
            stage_id,
            cursor,
            state.generation,
            state.dispatcher(),
        );
    })
}

#[function_component]
pub fn BoardPage() -> Html {
    let i18n = use_i18n();
    let directory = use_directory();
    let filters = use_state(|| BoardFilterValues {
        pipeline_id: directory.pipelines.first().map(|pipeline| pipeline.id),
        ..BoardFilterValues::default()
    });
    let state = use_reducer(|| BoardState {
        generation: 0,
        summary: Summary::Loading,
        model: BoardModel::default(),
        saving: Rc::new(HashSet::new()),
        notice: None,
    });
    let generation = use_mut_ref(|| 0_u64);
    {
        let dispatcher = state.dispatcher();
        use_effect_with((*filters).clone(), move |filters| {
            *generation.borrow_mut() += 1;
            load_board(filters.clone(), *generation.borrow(), dispatcher);
        });
    }

    let callbacks = ColumnCallbacks {
        on_move: move_callback(&state, &i18n),
        on_load_more: load_more_callback(&state, &filters),
    };
    let on_filters = {
        let filters = filters.clone();
        Callback::from(move |values: BoardFilterValues| filters.set(values))
    };
    let retry = {
        let (filters, state) = (filters.clone(), state.clone());
        Callback::from(move |()| {
            load_board((*filters).clone(), state.generation, state.dispatcher())
        })
    };
    let dismiss = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(BoardAction::Dismiss))
    };

    let body = match (&state.summary, filters.pipeline_id) {
        (_, None) => html! { <p class="muted">{ i18n.t(Key::NoPipelines) }</p> },
        (Summary::Loading, _) => html! { <Loading /> },
        (Summary::Failed(error), _) => html! { <Failed error={error.clone()} {retry} /> },
        (Summary::Loaded, _) => columns_view(&state, &directory, &i18n, &callbacks),
    };
    html! {
        <section class="page board-page">
            <div class="page-head">
                <h1>{ i18n.t(Key::BoardTitle) }</h1>
                <BoardFilters values={(*filters).clone()} on_change={on_filters} />
            </div>
            { for state.notice.as_ref().map(|notice| html! {
                <div class="notice error" role="alert" id="board-notice">
                    <span>{ &notice.text }</span>
                    <button class="button subtle" onclick={dismiss.clone()} aria-label={i18n.t(Key::Dismiss)}>{ "×" }</button>
                </div>
            }) }
            { body }
        </section>
    }
}
