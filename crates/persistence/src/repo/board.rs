//! Placeholder: the pipeline board summary.
