//! Placeholder: filled in by the members resource.
