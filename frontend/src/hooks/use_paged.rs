//! A keyset-paginated list with "load more".

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use api_types::Page;
use futures_util::future::{FutureExt, LocalBoxFuture};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::shared::Shared;
pub use crate::view_model::paging::PageStatus;

/// A change to the loaded rows, applied in place.
pub type RowChange<T> = Box<dyn FnOnce(&mut Vec<T>)>;

/// The rows loaded so far and how to get more.
pub struct PagedHandle<T> {
    pub rows: Shared<Vec<T>>,
    /// Number of matching rows, when the first page asked for it.
    pub total: Option<u64>,
    pub has_more: bool,
    pub status: PageStatus,
    pub load_more: Callback<()>,
    pub reload: Callback<()>,
    /// Changes the loaded rows in place, for example to drop a task that was checked off.
    pub update: Callback<RowChange<T>>,
}

struct PagedState<T> {
    rows: Shared<Vec<T>>,
    next_cursor: Option<String>,
    total: Option<u64>,
    status: PageStatus,
    /// Increases with every first-page load, so that responses for an older query are dropped.
    generation: u64,
}

type Fetch<Q, T> =
    Rc<dyn Fn(Q, Option<String>) -> LocalBoxFuture<'static, Result<Page<T>, ApiError>>>;

/// The state and fetch function of a page load, shared by the effect and the callbacks.
struct Pager<T: 'static, Q: 'static> {
    state: Rc<RefCell<PagedState<T>>>,
    redraw: Callback<()>,
    query: Rc<RefCell<Q>>,
    fetch: Rc<RefCell<Option<Fetch<Q, T>>>>,
}

impl<T: Clone + 'static, Q: Clone + 'static> Pager<T, Q> {
    /// Loads the first page, replacing the rows, or the next page after them.
    fn load(&self, more: bool) {
        let Some(fetch) = self.fetch.borrow().clone() else {
            return;
        };
        let (cursor, generation) = {
            let mut state = self.state.borrow_mut();
            if more && (state.next_cursor.is_none() || state.status == PageStatus::LoadingMore) {
                return;
            }
            if !more {
                state.generation += 1;
            }
            state.status = match more {
                true => PageStatus::LoadingMore,
                false => PageStatus::Loading,
            };
            let cursor = more.then(|| state.next_cursor.clone()).flatten();
            (cursor, state.generation)
        };
        self.redraw.emit(());
        let future = fetch(self.query.borrow().clone(), cursor);
        let state = self.state.clone();
        let redraw = self.redraw.clone();
        spawn_local(async move {
            let result = future.await;
            let mut state = state.borrow_mut();
            if state.generation != generation {
                return;
            }
            match result {
                Ok(page) => {
                    let mut rows = match more {
                        true => (*state.rows).clone(),
                        false => Vec::new(),
                    };
                    rows.extend(page.data);
                    state.rows = Shared::new(rows);
                    state.next_cursor = page.next_cursor;
                    if !more {
                        state.total = page.total;
                    }
                    state.status = PageStatus::Idle;
                }
                Err(error) if more => state.status = PageStatus::MoreFailed(error),
                Err(error) => state.status = PageStatus::Failed(error),
            }
            drop(state);
            redraw.emit(());
        });
    }
}

/// Loads the first page of `fetch(query, None)` on mount and whenever `query` changes;
/// `load_more` fetches the page after the loaded rows with the last `next_cursor`.
#[hook]
pub fn use_paged<T, Q, F, Fut>(query: Q, fetch: F) -> PagedHandle<T>
where
    T: Clone + 'static,
    Q: PartialEq + Clone + 'static,
    F: Fn(Q, Option<String>) -> Fut + 'static,
    Fut: Future<Output = Result<Page<T>, ApiError>> + 'static,
{
    let state = use_mut_ref(|| PagedState {
        rows: Shared::new(Vec::new()),
        next_cursor: None,
        total: None,
        status: PageStatus::Loading,
        generation: 0,
    });
    let force_update = use_force_update();
    let query_slot = use_mut_ref(|| query.clone());
    let fetch_slot: Rc<RefCell<Option<Fetch<Q, T>>>> = use_mut_ref(|| None);

    *query_slot.borrow_mut() = query.clone();
    *fetch_slot.borrow_mut() = Some(Rc::new(move |query, cursor| {
        fetch(query, cursor).boxed_local()
    }));
    let pager = Rc::new(Pager {
        state: state.clone(),
        redraw: Callback::from(move |()| force_update.force_update()),
        query: query_slot,
        fetch: fetch_slot,
    });
    {
        let pager = pager.clone();
        use_effect_with(query, move |_| pager.load(false));
    }

    let load_more = {
        let pager = pager.clone();
        Callback::from(move |()| pager.load(true))
    };
    let reload = {
        let pager = pager.clone();
        Callback::from(move |()| pager.load(false))
    };
    let update = {
        let pager = pager.clone();
        Callback::from(move |change: RowChange<T>| {
            {
                let mut state = pager.state.borrow_mut();
                let mut rows = (*state.rows).clone();
                change(&mut rows);
                state.rows = Shared::new(rows);
            }
            pager.redraw.emit(());
        })
    };
    let state = state.borrow();
    PagedHandle {
        rows: state.rows.clone(),
        total: state.total,
        has_more: state.next_cursor.is_some(),
        status: state.status.clone(),
        load_more,
        reload,
        update,
    }
}
