//! Placeholder: filled in by the pipelines resource.
