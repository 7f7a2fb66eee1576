//! The page of an unknown URL.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::hooks::use_i18n;
use crate::i18n::Key;
use crate::route::Route;

#[function_component]
pub fn NotFoundPage() -> Html {
    let i18n = use_i18n();
    html! {
        <section class="page">
            <h1>{ i18n.t(Key::PageNotFound) }</h1>
            <Link<Route> to={Route::Board}>{ i18n.t(Key::BackToBoard) }</Link<Route>>
        </section>
    }
}
