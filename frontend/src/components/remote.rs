//! The loading and failed states of remote reads, and the sentence that explains an error.

use yew::prelude::*;

use crate::api::ApiError;
use crate::hooks::{Remote, use_i18n};
use crate::i18n::{I18n, Key};
use crate::shared::Shared;

/// Returns a translated sentence for an error, followed by the server's own explanation.
pub fn error_message(i18n: &I18n, error: &ApiError) -> String {
    let summary = match (error, error.status()) {
        (ApiError::SignedOut, _) | (_, Some(401)) => Key::ErrorSignedOut,
        (ApiError::Network(_), _) => Key::ErrorNetwork,
        (_, Some(403)) => Key::ErrorForbidden,
        (_, Some(404)) => Key::ErrorNotFound,
        (_, Some(409)) => Key::ErrorConflict,
        (_, Some(412)) => Key::ErrorStale,
        (_, Some(422)) => Key::ErrorInvalid,
        (_, Some(429)) => Key::ErrorTooManyRequests,
        _ => Key::ErrorServer,
    };
    format!("{} ({})", i18n.t(summary), error.detail())
}

#[function_component]
pub fn Loading() -> Html {
    let i18n = use_i18n();
    html! {
        <div class="state loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            { i18n.t(Key::Loading) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FailedProps {
    pub error: ApiError,
    /// Shows a retry button when set.
    #[prop_or_default]
    pub retry: Option<Callback<()>>,
}

#[function_component]
pub fn Failed(props: &FailedProps) -> Html {
    let i18n = use_i18n();
    let retry = props.retry.clone().map(|retry| {
        let onclick = Callback::from(move |_: MouseEvent| retry.emit(()));
        html! { <button class="button" {onclick}>{ i18n.t(Key::Retry) }</button> }
    });
    html! {
        <div class="state failed" role="alert">
            <p>{ error_message(&i18n, &props.error) }</p>
            { for retry }
        </div>
    }
}

/// Renders the loading, failed or loaded state of a remote read; `render` draws the value.
pub fn remote_view<T>(
    state: &Remote<T>,
    retry: &Callback<()>,
    render: impl FnOnce(&Shared<T>) -> Html,
) -> Html {
    match state {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(error) => html! { <Failed error={error.clone()} retry={retry.clone()} /> },
        Remote::Loaded(value) => render(value),
    }
}
