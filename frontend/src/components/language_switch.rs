//! The interface language selector.

use yew::prelude::*;

use super::field::event_value;
use crate::hooks::use_i18n;
use crate::i18n::{Key, Locale};

#[function_component]
pub fn LanguageSwitch() -> Html {
    let i18n = use_i18n();
    let onchange = {
        let set_locale = i18n.set_locale.clone();
        Callback::from(move |event: Event| set_locale.emit(Locale::parse(&event_value(&event))))
    };
    html! {
        <label class="language-switch">
            <span class="visually-hidden">{ i18n.t(Key::Language) }</span>
            <select id="language" {onchange} aria-label={i18n.t(Key::Language)}>
                { for Locale::ALL.iter().map(|locale| html! {
                    <option value={locale.tag()} selected={*locale == i18n.locale}>
                        { locale.native_name() }
                    </option>
                }) }
            </select>
        </label>
    }
}
