//! Placeholder: filled in by the activities resource.
