//! A deal on the board: draggable to another column, or moved with its stage menu on
//! touch screens and keyboards.

use std::rc::Rc;

use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use super::field::event_value;
use crate::hooks::use_i18n;
use crate::i18n::Key;
use crate::route::Route;

/// The MIME type under which a dragged card carries its deal id.
pub const DRAG_TYPE: &str = "text/plain";

/// The texts of a card, already formatted.
#[derive(Debug, Clone, PartialEq)]
pub struct CardView {
    pub id: Uuid,
    pub name: String,
    pub company: Option<String>,
    pub owner: Option<String>,
    pub amount: Option<String>,
    pub expected_close: Option<String>,
    pub stage_id: Uuid,
}

#[derive(Properties, PartialEq)]
pub struct DealCardProps {
    pub card: CardView,
    /// The stages of the pipeline as `(id, name)`, for the move menu.
    pub stages: Rc<Vec<(Uuid, String)>>,
    /// Whether a move of this card waits for the server.
    pub saving: bool,
    /// Moves a deal: `(deal id, stage id)`.
    pub on_move: Callback<(Uuid, Uuid)>,
}

#[function_component]
pub fn DealCard(props: &DealCardProps) -> Html {
    let i18n = use_i18n();
    let card = &props.card;
    let ondragstart = {
        let id = card.id;
        Callback::from(move |event: DragEvent| {
            if let Some(transfer) = event.data_transfer() {
                let _ = transfer.set_data(DRAG_TYPE, &id.to_string());
                transfer.set_effect_allowed("move");
            }
        })
    };
    let onchange = {
        let (id, on_move) = (card.id, props.on_move.clone());
        Callback::from(move |event: Event| {
            if let Ok(stage_id) = event_value(&event).parse::<Uuid>() {
                on_move.emit((id, stage_id));
            }
        })
    };
    let line = |value: &Option<String>, class: &'static str| {
        value
            .as_ref()
            .map(|value| html! { <span class={class}>{ value }</span> })
    };
    html! {
        <article class={classes!("deal-card", props.saving.then_some("saving"))}
            draggable="true" {ondragstart} data-deal-id={card.id.to_string()}
            aria-busy={props.saving.to_string()}>
            <Link<Route> to={Route::Deal { id: card.id }} classes="deal-card-name">{ &card.name }</Link<Route>>
            { for line(&card.company, "deal-card-company") }
            <div class="deal-card-meta">
                { for line(&card.amount, "amount") }
                { for line(&card.expected_close, "close-date") }
            </div>
            { for line(&card.owner, "deal-card-owner") }
            <select class="move-select" aria-label={i18n.t(Key::MoveTo)} {onchange} disabled={props.saving}>
                { for props.stages.iter().map(|(id, name)| html! {
                    <option value={id.to_string()} selected={*id == card.stage_id}>{ name }</option>
                }) }
            </select>
        </article>
    }
}
