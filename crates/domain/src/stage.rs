use serde::{Deserialize, Serialize};

/// Whether a pipeline stage holds deals still in progress, won or lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }

    pub fn parse(name: &str) -> Option<StageKind> {
        [StageKind::Open, StageKind::Won, StageKind::Lost]
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }

    /// Whether a deal in a stage of this kind is closed.
    pub fn is_closed(self) -> bool {
        !matches!(self, StageKind::Open)
    }
}

/// The largest win probability a stage may carry, in percent.
pub const MAX_PROBABILITY: i32 = 100;
