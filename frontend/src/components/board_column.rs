//! One stage of the board: its count and totals, its cards, and the drop target.

use std::collections::HashSet;
use std::rc::Rc;

use api_types::Money;
use uuid::Uuid;
use yew::prelude::*;

use super::deal_card::{CardView, DRAG_TYPE, DealCard};
use super::load_more::LoadMore;
use super::remote::{Failed, Loading};
use super::totals::Totals;
use crate::hooks::{PageStatus, use_i18n};
use crate::i18n::Key;

#[derive(Properties, PartialEq)]
pub struct BoardColumnProps {
    pub stage_id: Uuid,
    pub name: String,
    pub count: u64,
    pub totals: Vec<Money>,
    pub cards: Vec<CardView>,
    pub stages: Rc<Vec<(Uuid, String)>>,
    /// The cards' loading state, as the "load more" button shows it.
    pub status: PageStatus,
    pub has_more: bool,
    pub saving: Rc<HashSet<Uuid>>,
    pub on_move: Callback<(Uuid, Uuid)>,
    pub on_load_more: Callback<Uuid>,
}

#[function_component]
pub fn BoardColumn(props: &BoardColumnProps) -> Html {
    let i18n = use_i18n();
    let over = use_state(|| false);
    let ondragover = {
        let over = over.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if !*over {
                over.set(true);
            }
        })
    };
    let ondragleave = {
        let over = over.clone();
        Callback::from(move |_: DragEvent| over.set(false))
    };
    let ondrop = {
        let (over, stage_id, on_move) = (over.clone(), props.stage_id, props.on_move.clone());
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            over.set(false);
            let dragged = event
                .data_transfer()
                .and_then(|transfer| transfer.get_data(DRAG_TYPE).ok());
            if let Some(deal_id) = dragged.and_then(|text| text.parse::<Uuid>().ok()) {
                on_move.emit((deal_id, stage_id));
            }
        })
    };
    let on_load_more = {
        let (stage_id, on_load_more) = (props.stage_id, props.on_load_more.clone());
        Callback::from(move |()| on_load_more.emit(stage_id))
    };
    let loading_first = props.status == PageStatus::Loading && props.cards.is_empty();
    html! {
        <section class={classes!("column", over.then_some("drop-target"))} {ondragover} {ondragleave} {ondrop}
            data-stage-id={props.stage_id.to_string()} aria-label={props.name.clone()}>
            <header class="column-head">
                <h2 class="column-name">{ &props.name }</h2>
                <span class="column-count" title={i18n.t(Key::DealCount)}>{ i18n.count(props.count) }</span>
                <Totals totals={props.totals.clone()} compact=true />
            </header>
            <div class="column-cards">
                { for props.cards.iter().map(|card| html! {
                    <DealCard key={card.id.to_string()} card={card.clone()} stages={props.stages.clone()}
                        saving={props.saving.contains(&card.id)} on_move={props.on_move.clone()} />
                }) }
                if loading_first { <Loading /> }
                if let PageStatus::Failed(error) = &props.status {
                    <Failed error={error.clone()} retry={on_load_more.clone()} />
                }
                if props.status == PageStatus::Idle && props.cards.is_empty() {
                    <p class="muted empty">{ i18n.t(Key::NoDeals) }</p>
                }
            </div>
            <LoadMore status={props.status.clone()} has_more={props.has_more} on_load={on_load_more} />
        </section>
    }
}
