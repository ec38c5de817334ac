//! What every Durable Object of Mend's does with its own SQLite storage:
//! writes in one synchronous transaction (`transactionSync`), all or none.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use worker::{SqlStorage, Storage};

use crate::error::{AppError, AppResult};

/// Runs `body` as one transaction of `storage`: all its writes or none.
/// An error `body` returns rolls the transaction back and is returned.
pub fn transaction(storage: &Storage, body: impl FnOnce(&SqlStorage) -> AppResult<()> + 'static) -> AppResult<()> {
    let sql = storage.sql();
    let failure = std::rc::Rc::new(std::cell::RefCell::new(None));
    let failed = failure.clone();
    let closure = Closure::once(move || -> Result<JsValue, JsValue> {
        body(&sql).map(|()| JsValue::UNDEFINED).map_err(|err| {
            let message = format!("{err:?}");
            *failed.borrow_mut() = Some(err);
            JsValue::from_str(&message) // thrown, so the transaction rolls back
        })
    });
    let raw: &JsValue = storage.as_raw().as_ref();
    let run = js_sys::Reflect::get(raw, &JsValue::from_str("transactionSync"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| AppError::Internal("storage.transactionSync is missing".into()))?;
    let outcome = run.call1(raw, closure.as_ref());
    match (outcome, failure.borrow_mut().take()) {
        (_, Some(err)) => Err(err),
        (Err(thrown), None) => Err(AppError::Internal(format!("object storage: {thrown:?}"))),
        (Ok(_), None) => Ok(()),
    }
}
