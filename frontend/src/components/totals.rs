//! Amount totals, one line per currency.

use api_types::Money;
use yew::prelude::*;

use crate::hooks::use_i18n;

#[derive(Properties, PartialEq)]
pub struct TotalsProps {
    pub totals: Vec<Money>,
    /// Writes `$12.3M` instead of `$12,345,678.00`, with the full amount as a tooltip.
    #[prop_or_default]
    pub compact: bool,
}

#[function_component]
pub fn Totals(props: &TotalsProps) -> Html {
    let i18n = use_i18n();
    html! {
        <ul class="totals">
            { for props.totals.iter().map(|total| {
                let full = i18n.money(total);
                let shown = match props.compact {
                    true => i18n.money_compact(total),
                    false => full.clone(),
                };
                html! { <li key={total.currency.clone()} title={full}>{ shown }</li> }
            }) }
        </ul>
    }
}
