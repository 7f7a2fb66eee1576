//! Placeholder: filled in by the products resource.
