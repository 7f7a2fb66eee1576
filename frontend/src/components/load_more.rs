//! The "load more" button under a keyset-paginated list.

use yew::prelude::*;

use super::remote::error_message;
use crate::hooks::{PageStatus, use_i18n};
use crate::i18n::Key;

#[derive(Properties, PartialEq)]
pub struct LoadMoreProps {
    pub status: PageStatus,
    pub has_more: bool,
    pub on_load: Callback<()>,
}

#[function_component]
pub fn LoadMore(props: &LoadMoreProps) -> Html {
    let i18n = use_i18n();
    let failure = match &props.status {
        PageStatus::MoreFailed(error) => Some(error_message(&i18n, error)),
        _ => None,
    };
    if !props.has_more && failure.is_none() {
        return html! {};
    }
    let loading = props.status == PageStatus::LoadingMore;
    let onclick = {
        let on_load = props.on_load.clone();
        Callback::from(move |_: MouseEvent| on_load.emit(()))
    };
    html! {
        <div class="load-more">
            { for failure.map(|message| html! { <p class="field-error" role="alert">{ message }</p> }) }
            <button class="button" disabled={loading} {onclick}>
                { i18n.t(if loading { Key::Loading } else { Key::LoadMore }) }
            </button>
        </div>
    }
}
