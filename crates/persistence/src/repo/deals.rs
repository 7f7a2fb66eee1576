//! Placeholder: filled in by the deals resource.
