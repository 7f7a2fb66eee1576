//! The sales dashboard: a filter bar kept in the URL's query string, and one section per
//! report.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::dashboard::bottlenecks::BottlenecksSection;
use crate::components::dashboard::channels::ChannelsSection;
use crate::components::dashboard::cycle::CycleSection;
use crate::components::dashboard::forecast::ForecastSection;
use crate::components::dashboard::forecast_accuracy::ForecastAccuracySection;
use crate::components::dashboard::funnel::FunnelSection;
use crate::components::dashboard::leaderboard::LeaderboardSection;
use crate::components::dashboard::past_close::PastCloseSection;
use crate::components::dashboard::quotas::QuotasSection;
use crate::components::dashboard::segments::SegmentsSection;
use crate::components::dashboard::sources::SourcesSection;
use crate::components::dashboard::win_loss::WinLossSection;
use crate::components::dashboard::{Section, SectionProps};
use crate::hooks::{use_directory, use_i18n};
use crate::i18n::Key;
use crate::route::Route;
use crate::view_model::dashboard::DashboardFilters;

#[function_component]
pub fn DashboardPage() -> Html {
    let i18n = use_i18n();
    let directory = use_directory();
    let location = use_location();
    let navigator = use_navigator();
    let mut filters = DashboardFilters::from_query(
        location
            .as_ref()
            .map_or("", |location| location.query_str()),
    );
    // The funnel needs a pipeline, so the first one applies until the URL names another.
    if filters.pipeline_id.is_none() {
        filters.pipeline_id = directory.pipelines.first().map(|pipeline| pipeline.id);
    }
    let on_change = Callback::from(move |next: DashboardFilters| {
        let Some(navigator) = &navigator else { return };
        if let Err(error) = navigator.push_with_query(&Route::Dashboard, &next) {
            web_sys::console::warn_1(
                &format!("failed to store the filters in the URL: {error}").into(),
            );
        }
    });
    // The funnel and the bottlenecks need a pipeline, so without one each shows a prompt to choose one.
    let choose_pipeline = |id: &'static str, title: Key, text: Key| {
        let props = SectionProps {
            id: id.into(),
            title: i18n.t(title).into(),
            note: None,
            wide: true,
            children: html! { <p class="muted">{ i18n.t(text) }</p> },
        };
        html! { <Section ..props /> }
    };
    let (funnel, bottlenecks) = match filters.pipeline_id {
        Some(_) => (
            html! { <FunnelSection filters={filters.clone()} /> },
            html! { <BottlenecksSection filters={filters.clone()} /> },
        ),
        None => (
            choose_pipeline("dashboard-funnel", Key::FunnelTitle, Key::ChoosePipeline),
            choose_pipeline(
                "dashboard-bottlenecks",
                Key::BottlenecksTitle,
                Key::ChoosePipelineBottlenecks,
            ),
        ),
    };
    html! {
        <section class="page dashboard">
            <div class="page-head">
                <h1>{ i18n.t(Key::DashboardTitle) }</h1>
            </div>
            <crate::components::dashboard_filters::DashboardFilterBar values={filters.clone()} {on_change} />
            <div class="dashboard-grid">
                { funnel }
                { bottlenecks }
                <LeaderboardSection filters={filters.clone()} />
                <WinLossSection filters={filters.clone()} />
                <CycleSection filters={filters.clone()} />
                <ForecastSection filters={filters.clone()} />
                <ForecastAccuracySection filters={filters.clone()} />
                <SourcesSection filters={filters.clone()} />
                <ChannelsSection filters={filters.clone()} />
                <QuotasSection filters={filters.clone()} />
                <SegmentsSection filters={filters.clone()} />
                <PastCloseSection {filters} />
            </div>
        </section>
    }
}
