//! The rendered width of an element, kept up to date as the window resizes.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// Returns the width in CSS pixels of the element that `node` is attached to, or `fallback`
/// until it has been measured. The width is measured after the first render and again on
/// every `resize` event of the window, which is when the dashboard's cards change width.
#[hook]
pub fn use_element_width(node: NodeRef, fallback: f64) -> f64 {
    let width = use_state_eq(|| fallback);
    {
        let width = width.clone();
        use_effect_with(node, move |node| {
            let node = node.clone();
            let measure = move || {
                let Some(element) = node.cast::<web_sys::Element>() else {
                    return;
                };
                let measured = f64::from(element.client_width());
                // A hidden element measures 0; keep the last width for it.
                if measured > 0.0 {
                    width.set(measured);
                }
            };
            measure();
            let listener = Closure::<dyn Fn()>::new(measure);
            let window = web_sys::window();
            if let Some(window) = &window {
                let added = window
                    .add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
                if let Err(error) = added {
                    web_sys::console::warn_1(&error);
                }
            }
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        "resize",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                drop(listener);
            }
        });
    }
    *width
}
