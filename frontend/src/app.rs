//! The root component: language, session and directory contexts around the router.

use std::rc::Rc;

use api_types::auth::Me;
use futures_util::future::try_join4;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError, session};
use crate::components::layout::Layout;
use crate::components::remote::{Failed, Loading, remote_view};
use crate::hooks::{Directory, SessionContext, use_remote};
use crate::i18n::{I18n, Locale};
use crate::pages::sign_in::SignInPage;
use crate::route::{Route, switch};
use crate::shared::Shared;

/// `localStorage` key of the language chosen before signing in.
const LOCALE_KEY: &str = "dealbook.locale";

/// The sign-in state of the app.
#[derive(Debug, Clone, PartialEq)]
enum SignIn {
    /// Stored tokens exist and `/me` is loading.
    Checking,
    SignedOut,
    SignedIn(Shared<Me>),
    /// `/me` failed for a reason other than an ended session.
    Failed(ApiError),
}

fn stored_locale() -> Locale {
    let window = web_sys::window();
    let stored = window
        .as_ref()
        .and_then(|window| window.local_storage().ok().flatten())
        .and_then(|storage| storage.get_item(LOCALE_KEY).ok().flatten());
    let browser = window.and_then(|window| window.navigator().language());
    Locale::parse(&stored.or(browser).unwrap_or_default())
}

/// Sets the page's `lang`, which selects the Chinese or Latin glyphs of the font and the
/// language that screen readers speak.
fn mark_document_language(locale: Locale) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        let _ = root.set_attribute("lang", locale.tag());
    }
}

fn remember_locale(locale: Locale) {
    if let Some(storage) =
        web_sys::window().and_then(|window| window.local_storage().ok().flatten())
    {
        let _ = storage.set_item(LOCALE_KEY, locale.tag());
    }
}

/// Loads `/me` into `sign_in`, treating an ended session as signed out.
fn check_session(sign_in: UseStateHandle<SignIn>, locale: UseStateHandle<Locale>) {
    spawn_local(async move {
        match api::auth::me().await {
            Ok(me) => {
                locale.set(Locale::parse(&me.locale));
                sign_in.set(SignIn::SignedIn(Shared::new(me)));
            }
            Err(ApiError::SignedOut) => sign_in.set(SignIn::SignedOut),
            Err(error) => sign_in.set(SignIn::Failed(error)),
        }
    });
}

/// Builds the callback that switches the language, remembers it in the browser and, when
/// someone is signed in, stores it as that user's language.
fn locale_setter(
    locale: UseStateHandle<Locale>,
    sign_in: UseStateHandle<SignIn>,
) -> Callback<Locale> {
    Callback::from(move |chosen: Locale| {
        locale.set(chosen);
        remember_locale(chosen);
        if let SignIn::SignedIn(me) = &*sign_in {
            let user_id = me.user_id;
            spawn_local(async move {
                if let Err(error) = api::users::update_locale(user_id, chosen.tag()).await {
                    web_sys::console::warn_1(
                        &format!(
                            "failed to store the language {}: {}",
                            chosen.tag(),
                            error.detail()
                        )
                        .into(),
                    );
                }
            });
        }
    })
}

#[function_component]
pub fn App() -> Html {
    let locale = use_state(stored_locale);
    let sign_in = use_state(|| match session::load() {
        Some(_) => SignIn::Checking,
        None => SignIn::SignedOut,
    });
    {
        let sign_in = sign_in.clone();
        let locale = locale.clone();
        use_effect_with((), move |()| {
            let signed_out = sign_in.clone();
            session::on_signed_out(Callback::from(move |()| signed_out.set(SignIn::SignedOut)));
            if *sign_in == SignIn::Checking {
                check_session(sign_in, locale);
            }
        });
    }
    use_effect_with(*locale, |locale| mark_document_language(*locale));
    let time_zone = match &*sign_in {
        SignIn::SignedIn(me) => Some(me.time_zone.clone()),
        _ => None,
    };
    let i18n = I18n {
        locale: *locale,
        time_zone,
        set_locale: locale_setter(locale.clone(), sign_in.clone()),
    };
    let on_signed_in = {
        let sign_in = sign_in.clone();
        let locale = locale.clone();
        Callback::from(move |me: Me| {
            locale.set(Locale::parse(&me.locale));
            sign_in.set(SignIn::SignedIn(Shared::new(me)));
        })
    };
    let body = match &*sign_in {
        SignIn::Checking => html! { <Loading /> },
        SignIn::SignedOut => html! { <SignInPage {on_signed_in} /> },
        SignIn::Failed(error) => {
            let retry = {
                let sign_in = sign_in.clone();
                let locale = locale.clone();
                Callback::from(move |()| check_session(sign_in.clone(), locale.clone()))
            };
            html! { <Failed error={error.clone()} {retry} /> }
        }
        SignIn::SignedIn(me) => {
            let sign_out = {
                let sign_in = sign_in.clone();
                Callback::from(move |()| {
                    sign_in.set(SignIn::SignedOut);
                    spawn_local(async {
                        // The tokens are already deleted locally, so a failed revoke only
                        // leaves a refresh token that expires on its own.
                        let _ = api::auth::logout().await;
                    });
                })
            };
            let context = SessionContext {
                me: me.clone(),
                sign_out,
            };
            html! {
                <ContextProvider<SessionContext> {context}>
                    <Shell />
                </ContextProvider<SessionContext>>
            }
        }
    };
    html! {
        <ContextProvider<I18n> context={i18n}>
            <BrowserRouter>{ body }</BrowserRouter>
        </ContextProvider<I18n>>
    }
}

/// Loads the directory once, then shows the pages inside the layout.
#[function_component]
fn Shell() -> Html {
    let directory = use_remote((), |()| async {
        let (users, teams, pipelines, companies) = try_join4(
            api::users::list_users(),
            api::teams::list_teams(),
            api::pipelines::list_pipelines(),
            api::companies::list_all_companies(),
        )
        .await?;
        Ok(Rc::new(Directory::new(users, teams, pipelines, companies)))
    });
    let content = remote_view(&directory.state, &directory.reload, |directory| {
        let directory: Rc<Directory> = Rc::clone(directory);
        html! {
            <ContextProvider<Rc<Directory>> context={directory}>
                <Switch<Route> render={switch} />
            </ContextProvider<Rc<Directory>>>
        }
    });
    html! { <Layout>{ content }</Layout> }
}
