//! The bottleneck report: where deals slow down, and the open deals that stalled.

use api_types::reports::{BottleneckReport, StageTiming};
use rust_decimal::Decimal;

/// A reason the report gives for listing a stalled deal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StallReason {
    /// The deal has been in its stage longer than 90% of the deals that left it.
    OverStageP90,
    /// The deal's expected close date has passed.
    PastExpectedClose,
    /// No activity was logged on the deal within `stale_days`.
    NoRecentActivity,
    /// A reason this version of the app does not know, shown as the server sent it.
    Other(String),
}

impl StallReason {
    /// Parses a reason code of the API.
    pub fn parse(code: &str) -> StallReason {
        match code {
            "over_stage_p90" => StallReason::OverStageP90,
            "past_expected_close" => StallReason::PastExpectedClose,
            "no_recent_activity" => StallReason::NoRecentActivity,
            other => StallReason::Other(other.to_owned()),
        }
    }
}

/// The marks the report puts on one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StageFlags {
    /// Its median time grew most against the baseline.
    pub slowest: bool,
    /// Its conversion fell most against the baseline.
    pub weakest: bool,
}

/// Returns the flags of `stage` in `report`.
pub fn stage_flags(report: &BottleneckReport, stage: &StageTiming) -> StageFlags {
    StageFlags {
        slowest: report.slowest_stage_id == Some(stage.stage_id),
        weakest: report.weakest_stage_id == Some(stage.stage_id),
    }
}

/// Formats a change of time against the baseline from `median ÷ baseline median`, such as
/// `+25%` for 1.25 or `-10%` for 0.9, or `—` when absent.
pub fn format_time_change(ratio: Option<Decimal>) -> String {
    let Some(ratio) = ratio else {
        return "—".to_owned();
    };
    let percent = ((ratio - Decimal::ONE) * Decimal::ONE_HUNDRED).round_dp(0);
    match percent {
        // Rounding can leave a negative zero, which would print as `-0`.
        zero if zero.is_zero() => "0%".to_owned(),
        positive if positive.is_sign_positive() => format!("+{positive}%"),
        negative => format!("{negative}%"),
    }
}

/// Formats a change of conversion, a difference of two ratios, in percentage points with
/// one decimal place, such as `-4.0 pp`, or `—` when absent.
pub fn format_conversion_change(change: Option<Decimal>) -> String {
    let Some(change) = change else {
        return "—".to_owned();
    };
    let points = (change * Decimal::ONE_HUNDRED).round_dp(1);
    match points {
        zero if zero.is_zero() => "0.0 pp".to_owned(),
        positive if positive.is_sign_positive() => format!("+{positive:.1} pp"),
        negative => format!("{negative:.1} pp"),
    }
}

#[cfg(test)]
mod tests {
    use api_types::reports::ReportPeriod;
    use uuid::Uuid;

    use super::*;

    fn stage(id: u128) -> StageTiming {
        StageTiming {
            stage_id: Uuid::from_u128(id),
            name: format!("stage {id}"),
            exits: 0,
            median_days: None,
            p75_days: None,
            p90_days: None,
            conversion: None,
            baseline_exits: 0,
            baseline_median_days: None,
            baseline_conversion: None,
            time_ratio: None,
            conversion_change: None,
        }
    }

    fn report(slowest: Option<u128>, weakest: Option<u128>) -> BottleneckReport {
        let period = ReportPeriod {
            from: None,
            to: None,
            time_zone: "UTC".to_owned(),
        };
        BottleneckReport {
            currency: "USD".to_owned(),
            pipeline_id: Uuid::from_u128(1),
            pipeline_name: "Sales".to_owned(),
            period: period.clone(),
            baseline: period,
            stale_after_days: 14,
            stages: vec![stage(10), stage(11)],
            slowest_stage_id: slowest.map(Uuid::from_u128),
            weakest_stage_id: weakest.map(Uuid::from_u128),
            stalled: Vec::new(),
            stalled_count: 0,
        }
    }

    #[test]
    fn reasons_parse_known_codes() {
        assert_eq!(
            StallReason::parse("over_stage_p90"),
            StallReason::OverStageP90
        );
        assert_eq!(
            StallReason::parse("past_expected_close"),
            StallReason::PastExpectedClose
        );
        assert_eq!(
            StallReason::parse("no_recent_activity"),
            StallReason::NoRecentActivity
        );
        assert_eq!(
            StallReason::parse("lost_champion"),
            StallReason::Other("lost_champion".to_owned())
        );
    }

    #[test]
    fn flags_mark_slowest_and_weakest() {
        let report = report(Some(10), Some(11));
        let first = stage_flags(&report, &report.stages[0]);
        let second = stage_flags(&report, &report.stages[1]);
        assert!(first.slowest);
        assert!(!first.weakest);
        assert!(!second.slowest);
        assert!(second.weakest);
    }

    #[test]
    fn one_stage_can_be_slowest_and_weakest() {
        let report = report(Some(11), Some(11));
        let flags = stage_flags(&report, &report.stages[1]);
        assert_eq!(
            flags,
            StageFlags {
                slowest: true,
                weakest: true
            }
        );
        assert_eq!(
            stage_flags(&report, &report.stages[0]),
            StageFlags::default()
        );
    }

    #[test]
    fn time_change_formats_as_signed_percent() {
        assert_eq!(format_time_change(Some(Decimal::new(125, 2))), "+25%");
        assert_eq!(format_time_change(Some(Decimal::new(9, 1))), "-10%");
        assert_eq!(format_time_change(Some(Decimal::ONE)), "0%");
        assert_eq!(format_time_change(Some(Decimal::new(9999, 4))), "0%");
        assert_eq!(format_time_change(None), "—");
    }

    #[test]
    fn conversion_change_formats_as_points() {
        assert_eq!(
            format_conversion_change(Some(Decimal::new(-4, 2))),
            "-4.0 pp"
        );
        assert_eq!(
            format_conversion_change(Some(Decimal::new(125, 4))),
            "+1.2 pp"
        );
        assert_eq!(format_conversion_change(Some(Decimal::ZERO)), "0.0 pp");
        assert_eq!(format_conversion_change(None), "—");
    }
}
