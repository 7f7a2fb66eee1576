//! Placeholder: filled in by the leads resource.
