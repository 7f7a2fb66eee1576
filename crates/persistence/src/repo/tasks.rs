//! Placeholder: filled in by the tasks resource.
