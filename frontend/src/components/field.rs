//! A labelled form field with the server's messages for it below.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub label: AttrValue,
    /// The `id` of the input inside, which the label points to.
    pub input_id: AttrValue,
    #[prop_or_default]
    pub errors: Vec<String>,
    pub children: Html,
}

#[function_component]
pub fn Field(props: &FieldProps) -> Html {
    let invalid = !props.errors.is_empty();
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            <label for={props.input_id.clone()}>{ props.label.clone() }</label>
            { props.children.clone() }
            { for props.errors.iter().map(|message| html! {
                <p class="field-error" role="alert">{ message }</p>
            }) }
        </div>
    }
}

/// Reads the value of the input, select or text area that fired an event.
pub fn event_value(event: &Event) -> String {
    use wasm_bindgen::JsCast;

    let Some(target) = event.target() else {
        return String::new();
    };
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return input.value();
    }
    if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        return select.value();
    }
    target
        .dyn_ref::<web_sys::HtmlTextAreaElement>()
        .map(web_sys::HtmlTextAreaElement::value)
        .unwrap_or_default()
}

/// Builds an input handler that writes the input's value into one field of a form state.
pub fn bind<T: Clone + 'static, E: AsRef<Event> + 'static>(
    state: &UseStateHandle<T>,
    apply: fn(&mut T, String),
) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |event: E| {
        let mut next = (*state).clone();
        apply(&mut next, event_value(event.as_ref()));
        state.set(next);
    })
}
