//! A remote read with its three states: loading, loaded and failed.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::shared::Shared;

/// The state of a remote read.
#[derive(Debug)]
pub enum Remote<T> {
    Loading,
    Loaded(Shared<T>),
    Failed(ApiError),
}

/// Compares loaded values by identity, as [`Shared`] does.
impl<T> PartialEq for Remote<T> {
    fn eq(&self, other: &Remote<T>) -> bool {
        match (self, other) {
            (Remote::Loading, Remote::Loading) => true,
            (Remote::Loaded(a), Remote::Loaded(b)) => a == b,
            (Remote::Failed(a), Remote::Failed(b)) => a == b,
            _ => false,
        }
    }
}

impl<T> Clone for Remote<T> {
    fn clone(&self) -> Remote<T> {
        match self {
            Remote::Loading => Remote::Loading,
            Remote::Loaded(value) => Remote::Loaded(value.clone()),
            Remote::Failed(error) => Remote::Failed(error.clone()),
        }
    }
}

/// A remote read and the ways to redo or replace it.
pub struct RemoteHandle<T> {
    pub state: Remote<T>,
    /// Fetches again, showing the loading state meanwhile.
    pub reload: Callback<()>,
    /// Replaces the loaded value, for example with the record a PATCH returned.
    pub set: Callback<T>,
}

/// Fetches with `fetch(deps)` when the component mounts and whenever `deps` changes. A
/// response that arrives after a newer request started is dropped, so a slow response never
/// overwrites a newer one.
#[hook]
pub fn use_remote<T, D, F, Fut>(deps: D, fetch: F) -> RemoteHandle<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let state = use_state(|| Remote::Loading);
    let generation: Rc<RefCell<u64>> = use_mut_ref(|| 0);
    let reloads = use_state(|| 0_u32);
    {
        let state = state.clone();
        let generation = generation.clone();
        use_effect_with((deps, *reloads), move |(deps, _)| {
            *generation.borrow_mut() += 1;
            let started = *generation.borrow();
            state.set(Remote::Loading);
            let future = fetch(deps.clone());
            spawn_local(async move {
                let result = future.await;
                if *generation.borrow() == started {
                    state.set(match result {
                        Ok(value) => Remote::Loaded(Shared::new(value)),
                        Err(error) => Remote::Failed(error),
                    });
                }
            });
        });
    }
    let reload = {
        let reloads = reloads.clone();
        Callback::from(move |()| reloads.set(reloads.wrapping_add(1)))
    };
    let set = {
        let state = state.clone();
        Callback::from(move |value: T| {
            *generation.borrow_mut() += 1;
            state.set(Remote::Loaded(Shared::new(value)));
        })
    };
    RemoteHandle {
        state: (*state).clone(),
        reload,
        set,
    }
}
