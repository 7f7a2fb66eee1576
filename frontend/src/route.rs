//! The app's URLs.

use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Board,
    #[at("/dashboard")]
    Dashboard,
    #[at("/deals")]
    Deals,
    #[at("/deals/:id")]
    Deal { id: Uuid },
    #[at("/companies")]
    Companies,
    #[at("/companies/:id")]
    Company { id: Uuid },
    #[at("/contacts")]
    Contacts,
    #[at("/contacts/:id")]
    Contact { id: Uuid },
    #[at("/tasks")]
    Tasks,
    #[not_found]
    #[at("/not-found")]
    NotFound,
}

/// Renders the page of a route.
pub fn switch(route: Route) -> Html {
    match route {
        Route::Board => html! { <pages::board::BoardPage /> },
        Route::Dashboard => html! { <pages::dashboard::DashboardPage /> },
        Route::Deals => html! { <pages::deals::DealsPage /> },
        Route::Deal { id } => html! { <pages::deal::DealPage {id} /> },
        Route::Companies => html! { <pages::companies::CompaniesPage /> },
        Route::Company { id } => html! { <pages::company::CompanyPage {id} /> },
        Route::Contacts => html! { <pages::contacts::ContactsPage /> },
        Route::Contact { id } => html! { <pages::contact::ContactPage {id} /> },
        Route::Tasks => html! { <pages::tasks::TasksPage /> },
        Route::NotFound => html! { <pages::not_found::NotFoundPage /> },
    }
}
