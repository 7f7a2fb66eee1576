//! Placeholder: filled in by the teams resource.
