//! Turns the repository's grouped figures into report bodies: rounding to the base currency,
//! naming users and teams, and keeping a rep to their own rows.

use std::collections::HashMap;

use api_types::Money;
use api_types::reports::{
    BottleneckReport, ChannelRoiReport, ChannelRoiRow, ForecastAccuracyReport, ForecastAccuracyRow,
    ForecastReport, ForecastRow, FunnelReport, FunnelStage, QuotaAttainmentReport,
    QuotaAttainmentRow, RepPerformanceReport, ReportPeriod, SegmentReport, SegmentRow, StageTiming,
    StalledDeal,
};
use domain::report::{self as math, Zone};
use domain::scope::Visibility;
use domain::{Currency, Role, Scope};
use persistence::DatabaseConnection;
use persistence::repo::bottlenecks::{self, StallRules, Windows};
use persistence::repo::forecast_snapshots;
use persistence::repo::reports::{
    self, Dimension, ReportFilter, SegmentFigures, SegmentKey, SegmentReport as Figures,
};
use rust_decimal::Decimal;
use time::PrimitiveDateTime;
use uuid::Uuid;

use super::ReportQuery;
use crate::error::ApiError;

/// The scope, filter, zone and currency one report request runs with.
pub struct ReportContext {
    scope: Scope,
    filter: ReportFilter,
    zone: Zone,
    base: Currency,
}

impl ReportContext {
    /// Validates the query and reads the organization's base currency and time zone.
    pub async fn load(
        db: &DatabaseConnection,
        scope: Scope,
        query: &ReportQuery,
    ) -> Result<ReportContext, ApiError> {
        let filter = query.filter(&scope)?;
        let settings = reports::organization_settings(db, &scope).await?;
        let zone = reports::report_zone(query.time_zone.as_deref(), &settings)?;
        Ok(ReportContext {
            scope,
            filter,
            zone,
            base: settings.base_currency,
        })
    }

    fn period(&self) -> ReportPeriod {
        ReportPeriod {
            from: self.filter.from,
            to: self.filter.to,
            time_zone: self.zone.name().to_owned(),
        }
    }

    /// The UTC instants at which the period's first day begins and the day after its last
    /// day begins, in the report's zone.
    fn instant_bounds(&self) -> (Option<PrimitiveDateTime>, Option<PrimitiveDateTime>) {
        let start = self
            .filter
            .from
            .and_then(|from| self.zone.day_start_utc(from));
        let end = self
            .filter
            .to
            .and_then(|to| to.next_day())
            .and_then(|next| self.zone.day_start_utc(next));
        (start, end)
    }

    fn money(&self, amount: Decimal) -> Money {
        Money {
            amount: math::round_to_currency(amount, self.base.minor_digits()),
            currency: self.base.code().to_owned(),
        }
    }

    fn row(&self, key: Option<String>, figures: &SegmentFigures) -> SegmentRow {
        SegmentRow {
            key,
            label: None,
            open_count: figures.open.count,
            open_amount: self.money(figures.open.amount),
            won_count: figures.won.count,
            won_amount: self.money(figures.won.amount),
            lost_count: figures.lost.count,
            lost_amount: self.money(figures.lost.amount),
            win_rate: figures.win_rate(),
            average_deal_size: figures.average_deal_size().map(|amount| self.money(amount)),
            average_cycle_days: figures.average_cycle_days(),
            median_cycle_days: None,
            activities: None,
        }
    }

    /// Groups deals by `dimension`, with cycle medians when `with_median` is set.
    pub async fn segments(
        &self,
        db: &DatabaseConnection,
        (name, dimension): (String, Dimension),
        with_median: bool,
    ) -> Result<SegmentReport, ApiError> {
        let figures =
            reports::segments(db, &self.scope, &self.filter, dimension, self.base).await?;
        let histograms = match with_median {
            true => reports::cycle_histograms(db, &self.scope, &self.filter, dimension).await?,
            false => HashMap::new(),
        };
        let mut rows = Vec::new();
        for segment in &figures.segments {
            let mut row = self.row(key_text(&segment.key), &segment.figures);
            if let Some(histogram) = histograms.get(&segment.key) {
                row.median_cycle_days = math::median_of_histogram(histogram);
            }
            rows.push(row);
        }
        let mut totals = self.row(None, &figures.totals);
        if with_median && dimension.overlaps() {
            let whole =
                reports::cycle_histograms(db, &self.scope, &self.filter, Dimension::Whole).await?;
            let all: Vec<(i64, u64)> = whole.values().flatten().copied().collect();
            totals.median_cycle_days = math::median_of_histogram(&all);
        } else if with_median {
            let all: Vec<(i64, u64)> = histograms.values().flatten().copied().collect();
            totals.median_cycle_days = math::median_of_histogram(&all);
        }
        Ok(SegmentReport {
            currency: self.base.code().to_owned(),
            dimension: name,
            period: self.period(),
            rows,
            totals,
        })
    }

    /// Figures per user and per team, with activities logged within the period.
    pub async fn rep_performance(
        &self,
        db: &DatabaseConnection,
    ) -> Result<RepPerformanceReport, ApiError> {
        // Team rows and totals add up the deals of the whole organization, of which a rep
        // reads only their own team's rows.
        let all = self.totals_scope();
        let by_user =
            reports::segments(db, &self.scope, &self.filter, Dimension::Owner, self.base).await?;
        let by_team = reports::segments(db, &all, &self.filter, Dimension::Team, self.base).await?;
        let (start, end) = self.instant_bounds();
        let activities = reports::activity_counts(db, &all, &self.filter, start, end).await?;

        let user_ids = visible_ids(&by_user, |id| self.may_see_user(id));
        let team_ids = visible_ids(&by_team, |id| self.may_see_team(id));
        let (user_names, team_names) = reports::names(db, &self.scope, user_ids, team_ids).await?;

        let users = self.id_rows(&by_user, &user_names, &activities.by_user, |id| {
            self.may_see_user(id)
        });
        let teams = self.id_rows(&by_team, &team_names, &activities.by_team, |id| {
            self.may_see_team(id)
        });
        let mut totals = self.row(None, &by_team.totals);
        totals.activities = Some(activities.total);
        Ok(RepPerformanceReport {
            currency: self.base.code().to_owned(),
            period: self.period(),
            users,
            teams,
            totals,
        })
    }

    /// Returns the report's scope widened to the whole organization, for figures that a rep
    /// may read only as totals.
    fn totals_scope(&self) -> Scope {
        Scope {
            visibility: Visibility::Organization,
            ..self.scope.clone()
        }
    }

    /// Whether a per-user row may be shown: a rep sees only their own.
    fn may_see_user(&self, id: Option<Uuid>) -> bool {
        self.scope.role != Role::Rep || id == Some(self.scope.user_id)
    }

    /// Whether a per-team row may be shown: a rep sees only their own teams.
    fn may_see_team(&self, id: Option<Uuid>) -> bool {
        self.scope.role != Role::Rep || id.is_some_and(|id| self.scope.team_ids.contains(&id))
    }

    fn id_rows(
        &self,
        figures: &Figures,
        names: &HashMap<Uuid, String>,
        activities: &HashMap<Uuid, u64>,
        may_see: impl Fn(Option<Uuid>) -> bool,
    ) -> Vec<SegmentRow> {
        let mut rows = Vec::new();
        for segment in &figures.segments {
            let SegmentKey::Id(id) = segment.key else {
                continue;
            };
            if !may_see(id) {
                continue;
            }
            let mut row = self.row(id.map(|id| id.to_string()), &segment.figures);
            row.label = id.and_then(|id| names.get(&id).cloned());
            row.activities = Some(id.and_then(|id| activities.get(&id).copied()).unwrap_or(0));
            rows.push(row);
        }
        rows
    }

    /// The funnel of one pipeline over the period.
    pub async fn funnel(
        &self,
        db: &DatabaseConnection,
        pipeline_id: Uuid,
    ) -> Result<FunnelReport, ApiError> {
        let (start, end) = self.instant_bounds();
        let funnel =
            reports::funnel(db, &self.scope, &self.filter, pipeline_id, start, end).await?;
        let flows: Vec<math::StageFlow> = funnel.stages.iter().map(|stage| stage.flow).collect();
        let steps = math::funnel_steps(&flows);
        let entered_first = funnel.stages.first().map(|stage| stage.flow.entered);
        let won: u64 = funnel
            .stages
            .iter()
            .filter(|stage| stage.stage.kind == "won")
            .map(|stage| stage.flow.entered)
            .sum();
        let stages = funnel
            .stages
            .into_iter()
            .zip(steps)
            .map(|(stage, step)| FunnelStage {
                stage_id: stage.stage.id,
                name: stage.stage.name,
                kind: stage.stage.kind,
                entered: step.entered,
                moved_on: step.moved_on,
                dropped: step.dropped,
                conversion_to_next: step.conversion_to_next,
                conversion_from_first: step.conversion_from_first,
            })
            .collect();
        Ok(FunnelReport {
            pipeline_id: funnel.pipeline.id,
            pipeline_name: funnel.pipeline.name,
            period: self.period(),
            stages,
            overall_conversion: entered_first.and_then(|first| math::rate(won, first)),
        })
    }

    /// Won amount and campaign cost per channel.
    pub async fn channel_roi(&self, db: &DatabaseConnection) -> Result<ChannelRoiReport, ApiError> {
        let figures =
            reports::segments(db, &self.scope, &self.filter, Dimension::Channel, self.base).await?;
        let mut costs = reports::campaign_costs(db, &self.scope, &self.filter, self.base).await?;
        let mut rows = Vec::new();
        for segment in &figures.segments {
            let channel = key_text(&segment.key);
            let cost = channel
                .as_ref()
                .and_then(|channel| costs.remove(channel))
                .unwrap_or(Decimal::ZERO);
            rows.push(self.roi_row(channel, segment.figures.won, cost));
        }
        // Channels with spend but no deals still show their cost and an ROI of -1.
        for (channel, cost) in costs {
            rows.push(self.roi_row(Some(channel), reports::Tally::default(), cost));
        }
        Ok(ChannelRoiReport {
            currency: self.base.code().to_owned(),
            period: self.period(),
            rows,
        })
    }

    fn roi_row(
        &self,
        channel: Option<String>,
        won: reports::Tally,
        cost: Decimal,
    ) -> ChannelRoiRow {
        let won_amount = self.money(won.amount);
        let cost = self.money(cost);
        ChannelRoiRow {
            channel,
            won_count: won.count,
            roi: math::roi(won_amount.amount, cost.amount),
            won_amount,
            campaign_cost: cost,
        }
    }

    /// Open pipeline per expected close month beside the amount won per month.
    pub async fn forecast(&self, db: &DatabaseConnection) -> Result<ForecastReport, ApiError> {
        let months = reports::forecast(db, &self.scope, &self.filter, self.base).await?;
        let rows = months
            .into_iter()
            .map(|(month, figures)| ForecastRow {
                month,
                open_count: figures.open_count,
                open_amount: self.money(figures.open_amount),
                weighted_amount: self.money(figures.weighted_amount),
                won_count: figures.won_count,
                won_amount: self.money(figures.won_amount),
            })
            .collect();
        Ok(ForecastReport {
            currency: self.base.code().to_owned(),
            period: self.period(),
            rows,
        })
    }

    /// Each visible quota with its attainment so far.
    pub async fn quota_attainment(
        &self,
        db: &DatabaseConnection,
    ) -> Result<QuotaAttainmentReport, ApiError> {
        // A team quota counts every deal the team won, including those of teammates a rep
        // cannot read. The quotas themselves stay limited to the rep's own and their team's.
        let progress =
            reports::quota_progress(db, &self.totals_scope(), &self.filter, self.base).await?;
        let user_ids = progress.iter().filter_map(|p| p.quota.user_id).collect();
        let team_ids = progress.iter().filter_map(|p| p.quota.team_id).collect();
        let (user_names, team_names) = reports::names(db, &self.scope, user_ids, team_ids).await?;
        let rows = progress
            .into_iter()
            .map(|progress| {
                let quota = progress.quota;
                let target = domain::Money::from_stored(quota.target_e4, self.base).amount();
                let won = self.money(progress.won_amount);
                let label = match (quota.user_id, quota.team_id) {
                    (Some(user), _) => user_names.get(&user).cloned(),
                    (None, Some(team)) => team_names.get(&team).cloned(),
                    (None, None) => None,
                };
                QuotaAttainmentRow {
                    quota_id: quota.id,
                    user_id: quota.user_id,
                    team_id: quota.team_id,
                    label,
                    period_kind: quota.period_kind,
                    period_start: quota.period_start,
                    period_end: progress.period_end,
                    target: self.money(target),
                    attainment: math::ratio(won.amount, target),
                    gap: self.money(target - won.amount),
                    won_amount: won,
                    won_count: progress.won_count,
                }
            })
            .collect();
        Ok(QuotaAttainmentReport {
            currency: self.base.code().to_owned(),
            period: self.period(),
            rows,
        })
    }
}

fn key_text(key: &SegmentKey) -> Option<String> {
    match key {
        SegmentKey::Id(id) => id.map(|id| id.to_string()),
        SegmentKey::Text(text) => text.clone(),
    }
}

fn visible_ids(figures: &Figures, may_see: impl Fn(Option<Uuid>) -> bool) -> Vec<Uuid> {
    figures
        .segments
        .iter()
        .filter_map(|segment| match segment.key {
            SegmentKey::Id(id) if may_see(id) => id,
            _ => None,
        })
        .collect()
}

/// The settings of the bottleneck report beside the common filters.
#[derive(Debug, Clone, Copy)]
pub struct BottleneckOptions {
    pub pipeline_id: Uuid,
    pub stale_days: u32,
    pub baseline_days: u32,
    pub limit: u64,
}

impl ReportContext {
    /// Builds the stage times and conversion against the trailing baseline, and the stalled
    /// open deals.
    /// Without `from`, the period is the 90 days that end with `to` (today by default).
    pub async fn bottlenecks(
        &self,
        db: &DatabaseConnection,
        options: BottleneckOptions,
    ) -> Result<BottleneckReport, ApiError> {
        let now = domain::time::now_utc();
        let today = self.zone.today();
        let to = self.filter.to.unwrap_or(today);
        let from = self
            .filter
            .from
            .unwrap_or_else(|| to.saturating_sub(time::Duration::days(89)));
        let baseline_from = from.saturating_sub(time::Duration::days(options.baseline_days.into()));
        let baseline_to = from.previous_day().unwrap_or(from);
        let day_start = |date: time::Date| {
            self.zone.day_start_utc(date).ok_or_else(|| {
                ApiError::invalid(
                    "from",
                    "out_of_range",
                    format!("{date} is outside the supported range of dates: pass a later date"),
                )
            })
        };
        let windows = Windows {
            baseline_start: day_start(baseline_from)?,
            period_start: day_start(from)?,
            period_end: day_start(to.next_day().unwrap_or(to))?,
        };
        let rules = StallRules {
            now,
            today,
            stale_after: time::Duration::days(options.stale_days.into()),
            limit: options.limit,
            base: self.base,
        };
        let figures = bottlenecks::bottlenecks(
            db,
            &self.scope,
            &self.filter,
            options.pipeline_id,
            windows,
            rules,
        )
        .await?;

        let owner_ids: Vec<Uuid> = figures
            .stalled
            .iter()
            .filter_map(|deal| deal.owner_id)
            .collect();
        let (owner_names, _) = reports::names(db, &self.scope, owner_ids, Vec::new()).await?;
        let stages: Vec<StageTiming> = figures.stages.into_iter().map(stage_timing).collect();
        let slowest_stage_id = stages
            .iter()
            .filter_map(|stage| Some((stage.time_ratio?, stage.stage_id)))
            .filter(|(ratio, _)| *ratio > Decimal::ONE)
            .max_by_key(|(ratio, _)| *ratio)
            .map(|(_, id)| id);
        let weakest_stage_id = stages
            .iter()
            .filter_map(|stage| Some((stage.conversion_change?, stage.stage_id)))
            .filter(|(change, _)| change.is_sign_negative() && !change.is_zero())
            .min_by_key(|(change, _)| *change)
            .map(|(_, id)| id);
        let stalled = figures
            .stalled
            .into_iter()
            .map(|deal| self.stalled_deal(deal, now, &owner_names))
            .collect();
        Ok(BottleneckReport {
            currency: self.base.code().to_owned(),
            pipeline_id: figures.pipeline.id,
            pipeline_name: figures.pipeline.name,
            period: ReportPeriod {
                from: Some(from),
                to: Some(to),
                time_zone: self.zone.name().to_owned(),
            },
            baseline: ReportPeriod {
                from: Some(baseline_from),
                to: Some(baseline_to),
                time_zone: self.zone.name().to_owned(),
            },
            stale_after_days: options.stale_days,
            stages,
            slowest_stage_id,
            weakest_stage_id,
            stalled,
            stalled_count: figures.stalled_count,
        })
    }

    fn stalled_deal(
        &self,
        deal: bottlenecks::StalledDeal,
        now: PrimitiveDateTime,
        owner_names: &HashMap<Uuid, String>,
    ) -> StalledDeal {
        let reasons = [
            (deal.over_stage_p90, "over_stage_p90"),
            (deal.past_expected_close, "past_expected_close"),
            (deal.no_recent_activity, "no_recent_activity"),
        ]
        .into_iter()
        .filter(|(applies, _)| *applies)
        .map(|(_, reason)| reason.to_owned())
        .collect();
        let seconds_in_stage = (now - deal.stage_changed_at).whole_seconds().max(0);
        StalledDeal {
            deal_id: deal.deal_id,
            name: deal.name,
            owner_name: deal.owner_id.and_then(|id| owner_names.get(&id).cloned()),
            owner_id: deal.owner_id,
            stage_id: deal.stage_id,
            stage_name: deal.stage_name,
            amount: deal.amount.map(|amount| self.money(amount)),
            days_in_stage: bottlenecks::seconds_to_days(seconds_in_stage),
            stage_p90_days: deal.stage_p90_seconds.map(bottlenecks::seconds_to_days),
            expected_close_date: deal.expected_close_date,
            last_activity_at: deal.last_activity_at.map(domain::time::from_stored),
            reasons,
        }
    }
}

fn stage_timing(timing: bottlenecks::StageTiming) -> StageTiming {
    let days = |seconds: Option<i64>| seconds.map(bottlenecks::seconds_to_days);
    let conversion = math::rate(timing.period.moved_on, timing.period.exits);
    let baseline_conversion = math::rate(timing.baseline.moved_on, timing.baseline.exits);
    let time_ratio = match (timing.period.p50_seconds, timing.baseline.p50_seconds) {
        (Some(now), Some(before)) => math::ratio(Decimal::from(now), Decimal::from(before)),
        _ => None,
    };
    StageTiming {
        stage_id: timing.stage.id,
        name: timing.stage.name,
        exits: timing.period.exits,
        median_days: days(timing.period.p50_seconds),
        p75_days: days(timing.period.p75_seconds),
        p90_days: days(timing.period.p90_seconds),
        conversion,
        baseline_exits: timing.baseline.exits,
        baseline_median_days: days(timing.baseline.p50_seconds),
        baseline_conversion,
        time_ratio,
        conversion_change: conversion
            .zip(baseline_conversion)
            .map(|(now, before)| now - before),
    }
}

impl ReportContext {
    /// Compares forecast with actual for each month from `from` to `to`, by default the
    /// twelve months that end with the current one.
    pub async fn forecast_accuracy(
        &self,
        db: &DatabaseConnection,
    ) -> Result<ForecastAccuracyReport, ApiError> {
        let to = self.filter.to.unwrap_or_else(|| self.zone.today());
        let last = math::month_start(to);
        let first = match self.filter.from {
            Some(from) => math::month_start(from),
            None => months_before(last, 11),
        };
        let mut months = Vec::new();
        let mut next = Some(first);
        while let Some(month) = next.filter(|month| *month <= last) {
            if months.len() == MAX_ACCURACY_MONTHS {
                return Err(ApiError::invalid(
                    "from",
                    "period_too_long",
                    format!(
                        "forecast accuracy covers at most {MAX_ACCURACY_MONTHS} months: pass a later from or an earlier to"
                    ),
                ));
            }
            months.push(month);
            next = math::next_month_start(month);
        }
        let figures =
            forecast_snapshots::accuracy(db, &self.scope, &self.filter, &months, self.base).await?;
        let rows = figures
            .into_iter()
            .map(|month| {
                let won_amount = self.money(month.won.amount);
                let weighted = month.forecast.map(|forecast| forecast.weighted_amount);
                ForecastAccuracyRow {
                    month: math::month_key(month.month),
                    snapshot_on: month.snapshot_on,
                    forecast_amount: month
                        .forecast
                        .map(|forecast| self.money(forecast.open_amount)),
                    weighted_forecast: weighted.map(|amount| self.money(amount)),
                    won_count: month.won.count,
                    accuracy: weighted.and_then(|weighted| math::ratio(month.won.amount, weighted)),
                    won_amount,
                }
            })
            .collect();
        Ok(ForecastAccuracyReport {
            currency: self.base.code().to_owned(),
            period: ReportPeriod {
                from: Some(first),
                to: Some(math::PeriodKind::Month.period_end(last)),
                time_zone: self.zone.name().to_owned(),
            },
            rows,
        })
    }
}

/// The maximum number of months in one forecast-accuracy report: ten years.
const MAX_ACCURACY_MONTHS: usize = 120;

/// Returns the first day of the month `count` months before the month that `first` begins.
fn months_before(first: time::Date, count: u32) -> time::Date {
    let mut month = first;
    for _ in 0..count {
        month = month.previous_day().map(math::month_start).unwrap_or(month);
    }
    month
}
