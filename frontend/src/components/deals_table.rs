//! A table of deals that becomes a list of cards on narrow screens, with sortable headers.

use api_types::deals::Deal;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::hooks::{use_directory, use_i18n};
use crate::i18n::Key;
use crate::route::Route;
use crate::shared::Shared;
use crate::view_model::sorting::sort_state;

/// The sortable columns: API sort key, header text, and whether the first click sorts
/// descending.
const SORTABLE: [(&str, Key, bool); 4] = [
    ("name", Key::DealName, false),
    ("amount", Key::Amount, true),
    ("expected_close_date", Key::ExpectedClose, false),
    ("updated_at", Key::Updated, true),
];

#[derive(Properties, PartialEq)]
pub struct DealsTableProps {
    pub rows: Shared<Vec<Deal>>,
    /// The current `sort`, with `on_sort` receiving `(key, first click descending)`.
    #[prop_or_default]
    pub sort: Option<String>,
    #[prop_or_default]
    pub on_sort: Option<Callback<(&'static str, bool)>>,
}

#[function_component]
pub fn DealsTable(props: &DealsTableProps) -> Html {
    let i18n = use_i18n();
    let directory = use_directory();
    let header = |key: &'static str, label: Key, descending_first: bool| {
        let text = i18n.t(label);
        let (Some(sort), Some(on_sort)) = (&props.sort, &props.on_sort) else {
            return html! { <th scope="col">{ text }</th> };
        };
        let state = sort_state(sort, key);
        let aria = match state {
            Some(true) => "descending",
            Some(false) => "ascending",
            None => "none",
        };
        let arrow = match state {
            Some(true) => " ↓",
            Some(false) => " ↑",
            None => "",
        };
        let on_sort = on_sort.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_sort.emit((key, descending_first)));
        html! {
            <th scope="col" aria-sort={aria}>
                <button class="sort" {onclick} data-sort={key}>{ text }{ arrow }</button>
            </th>
        }
    };
    let [name, amount, close, updated] =
        SORTABLE.map(|(key, label, first)| header(key, label, first));
    html! {
        <table class="table responsive deals-table">
            <thead><tr>
                { name }
                <th scope="col">{ i18n.t(Key::Company) }</th>
                <th scope="col">{ i18n.t(Key::Stage) }</th>
                <th scope="col">{ i18n.t(Key::Owner) }</th>
                { amount }{ close }{ updated }
            </tr></thead>
            <tbody>
                { for props.rows.iter().map(|deal| html! {
                    <tr key={deal.id.to_string()}>
                        <td data-label={i18n.t(Key::DealName)} class="primary-cell">
                            <Link<Route> to={Route::Deal { id: deal.id }}>{ &deal.name }</Link<Route>>
                        </td>
                        <td data-label={i18n.t(Key::Company)}>{ directory.name(deal.company_id).unwrap_or("—") }</td>
                        <td data-label={i18n.t(Key::Stage)}>{ deal.stage.as_ref().map_or("—", |stage| stage.name.as_str()) }</td>
                        <td data-label={i18n.t(Key::Owner)}>{ directory.name(deal.owner_id).unwrap_or("—") }</td>
                        <td data-label={i18n.t(Key::Amount)} class="number">
                            { deal.amount.as_ref().map_or("—".to_owned(), |amount| i18n.money(amount)) }
                        </td>
                        <td data-label={i18n.t(Key::ExpectedClose)}>
                            { deal.expected_close_date.map_or("—".to_owned(), |date| i18n.date(date)) }
                        </td>
                        <td data-label={i18n.t(Key::Updated)}>{ i18n.instant(deal.updated_at) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
