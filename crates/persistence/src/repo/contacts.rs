//! Placeholder: filled in by the contacts resource.
