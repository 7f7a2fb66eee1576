//! Types and rules of the Dealbook sales model. Nothing here performs I/O.

pub mod contact;
pub mod id;
pub mod money;
pub mod report;
pub mod role;
pub mod scope;
pub mod stage;
pub mod time;

pub use money::{Currency, Money, MoneyError};
pub use role::Role;
pub use scope::Scope;
pub use stage::StageKind;
