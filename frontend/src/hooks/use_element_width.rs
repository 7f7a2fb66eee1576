//! The rendered width of an element, kept up to date as its box changes size.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// Returns the width in CSS pixels of the element that `node` is attached to, or `fallback`
/// until it has been measured. A `ResizeObserver` measures it again whenever its box
/// changes, such as when the window resizes or a scroll bar appears and narrows the page.
#[hook]
pub fn use_element_width(node: NodeRef, fallback: f64) -> f64 {
    let width = use_state_eq(|| fallback);
    {
        let width = width.clone();
        use_effect_with(node, move |node| {
            let element = node.cast::<web_sys::Element>();
            let measure = {
                let element = element.clone();
                move || {
                    let Some(element) = &element else { return };
                    let measured = element.get_bounding_client_rect().width();
                    // A hidden element measures 0, so it keeps its last width.
                    if measured > 0.0 {
                        width.set(measured);
                    }
                }
            };
            measure();
            let callback = Closure::<dyn Fn()>::new(measure);
            let observer = match web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
                Ok(observer) => Some(observer),
                Err(error) => {
                    web_sys::console::warn_1(&error);
                    None
                }
            };
            if let (Some(observer), Some(element)) = (&observer, &element) {
                observer.observe(element);
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                drop(callback);
            }
        });
    }
    *width
}
