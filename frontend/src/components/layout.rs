//! The frame of every signed-in page: navigation, language, user and sign-out.

use yew::prelude::*;
use yew_router::prelude::*;

use super::language_switch::LanguageSwitch;
use crate::hooks::{use_i18n, use_session};
use crate::i18n::Key;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct LayoutProps {
    pub children: Html,
}

#[function_component]
pub fn Layout(props: &LayoutProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let current = use_route::<Route>();
    let link = |route: Route, key: Key| {
        let active = current.as_ref() == Some(&route)
            || matches!((&current, &route), (Some(Route::Deal { .. }), Route::Deals))
            || matches!(
                (&current, &route),
                (Some(Route::Company { .. }), Route::Companies)
            )
            || matches!(
                (&current, &route),
                (Some(Route::Contact { .. }), Route::Contacts)
            );
        html! {
            <Link<Route> to={route} classes={classes!("nav-link", active.then_some("active"))}>
                { i18n.t(key) }
            </Link<Route>>
        }
    };
    let user = session.map(|session| {
        let onclick = Callback::from(move |_: MouseEvent| session.sign_out.emit(()));
        html! {
            <div class="user">
                <span class="user-name">{ session.me.name.clone() }</span>
                <button class="button subtle" id="sign-out" {onclick}>{ i18n.t(Key::SignOut) }</button>
            </div>
        }
    });
    html! {
        <div class="shell">
            <header class="topbar">
                <span class="brand">{ "Dealbook" }</span>
                <nav class="nav" aria-label={i18n.t(Key::Navigation)}>
                    { link(Route::Board, Key::NavBoard) }
                    { link(Route::Deals, Key::NavDeals) }
                    { link(Route::Dashboard, Key::NavDashboard) }
                    { link(Route::Companies, Key::NavCompanies) }
                    { link(Route::Contacts, Key::NavContacts) }
                    { link(Route::Tasks, Key::NavTasks) }
                </nav>
                <div class="topbar-end">
                    <LanguageSwitch />
                    { for user }
                </div>
            </header>
            <main class="content">{ props.children.clone() }</main>
        </div>
    }
}
