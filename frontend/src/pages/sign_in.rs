//! The sign-in form, shown whenever no user is signed in.

use api_types::auth::Me;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::field::{Field, event_value};
use crate::components::language_switch::LanguageSwitch;
use crate::components::remote::error_message;
use crate::hooks::use_i18n;
use crate::i18n::{I18n, Key};
use crate::view_model::fields::FieldErrors;

#[derive(Properties, PartialEq)]
pub struct SignInProps {
    pub on_signed_in: Callback<Me>,
}

/// Returns the message shown above the button for a failed sign-in.
fn form_error(i18n: &I18n, error: &ApiError) -> Option<String> {
    match error.status() {
        Some(401) => Some(i18n.t(Key::WrongCredentials).to_owned()),
        Some(422) => None,
        _ => Some(error_message(i18n, error)),
    }
}

#[function_component]
pub fn SignInPage(props: &SignInProps) -> Html {
    let i18n = use_i18n();
    let email = use_state(String::new);
    let password = use_state(String::new);
    let sending = use_state(|| false);
    let errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<String>);
    let onsubmit = {
        let (email, password, sending) = (email.clone(), password.clone(), sending.clone());
        let (errors, failure, i18n) = (errors.clone(), failure.clone(), i18n.clone());
        let on_signed_in = props.on_signed_in.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *sending {
                return;
            }
            sending.set(true);
            failure.set(None);
            errors.set(FieldErrors::default());
            let (email, password) = ((*email).clone(), (*password).clone());
            let (sending, errors, failure) = (sending.clone(), errors.clone(), failure.clone());
            let (i18n, on_signed_in) = (i18n.clone(), on_signed_in.clone());
            spawn_local(async move {
                let result = match api::auth::login(&email, &password).await {
                    Ok(_) => api::auth::me().await,
                    Err(error) => Err(error),
                };
                sending.set(false);
                match result {
                    Ok(me) => on_signed_in.emit(me),
                    Err(error) => {
                        errors.set(FieldErrors::from_error(&error));
                        failure.set(form_error(&i18n, &error));
                    }
                }
            });
        })
    };
    let on_email = {
        let email = email.clone();
        Callback::from(move |event: InputEvent| email.set(event_value(&event)))
    };
    let on_password = {
        let password = password.clone();
        Callback::from(move |event: InputEvent| password.set(event_value(&event)))
    };
    html! {
        <div class="sign-in">
            <form class="card sign-in-card" {onsubmit} novalidate=true>
                <div class="sign-in-head">
                    <h1>{ "Dealbook" }</h1>
                    <LanguageSwitch />
                </div>
                <p class="muted">{ i18n.t(Key::SignInIntro) }</p>
                <Field label={i18n.t(Key::Email)} input_id="email" errors={errors.for_field("email")}>
                    <input id="email" type="email" autocomplete="username" value={(*email).clone()}
                        oninput={on_email} required=true />
                </Field>
                <Field label={i18n.t(Key::Password)} input_id="password" errors={errors.for_field("password")}>
                    <input id="password" type="password" autocomplete="current-password"
                        value={(*password).clone()} oninput={on_password} required=true />
                </Field>
                { for errors.unclaimed(&["email", "password"]).into_iter().chain((*failure).clone()).map(|message| html! {
                    <p class="form-error" role="alert">{ message }</p>
                }) }
                <button class="button primary" type="submit" id="sign-in" disabled={*sending}>
                    { i18n.t(if *sending { Key::SigningIn } else { Key::SignIn }) }
                </button>
            </form>
        </div>
    }
}
