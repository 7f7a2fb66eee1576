//! The rep leaderboard: each user's won amount, win rate, deal size and cycle.

use api_types::reports::SegmentRow;
use yew::prelude::*;

use super::{ReportProps, Section, currency_note, no_data, segment_label};
use crate::api::reports::{ReportQuery, rep_performance};
use crate::components::remote::{Failed, Loading};
use crate::hooks::{Remote, use_i18n, use_remote};
use crate::i18n::{I18n, Key};
use crate::view_model::dashboard::{format_days, format_optional_ratio, leaderboard};

fn rep_row(i18n: &I18n, rank: usize, row: &SegmentRow) -> Html {
    let deal_size = row
        .average_deal_size
        .as_ref()
        .map_or("—".to_owned(), |m| i18n.money(m));
    html! {
        <tr>
            <td class="number rank">{ rank }</td>
            <td data-label={i18n.t(Key::Rep)} class="primary-cell">{ segment_label(i18n, row) }</td>
            <td data-label={i18n.t(Key::WonAmount)} class="number">{ i18n.money(&row.won_amount) }</td>
            <td data-label={i18n.t(Key::WonCount)} class="number">{ i18n.count(row.won_count) }</td>
            <td data-label={i18n.t(Key::WinRate)} class="number">{ format_optional_ratio(row.win_rate) }</td>
            <td data-label={i18n.t(Key::AverageDealSize)} class="number">{ deal_size }</td>
            <td data-label={i18n.t(Key::AverageCycleDays)} class="number">{ format_days(row.average_cycle_days) }</td>
        </tr>
    }
}

#[function_component]
pub fn LeaderboardSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let report = use_remote(props.filters.clone(), |filters| async move {
        rep_performance(&ReportQuery::new(&filters, None)).await
    });
    let (note, body) = match &report.state {
        Remote::Loading => (None, html! { <Loading /> }),
        Remote::Failed(error) => (
            None,
            html! { <Failed error={error.clone()} retry={report.reload.clone()} /> },
        ),
        Remote::Loaded(report) if report.users.is_empty() => (None, no_data(&i18n)),
        Remote::Loaded(report) => {
            let rows = leaderboard(&report.users);
            let table = html! {
                <table class="table responsive leaderboard">
                    <thead><tr>
                        <th scope="col" class="number">{ "#" }</th>
                        <th scope="col">{ i18n.t(Key::Rep) }</th>
                        <th scope="col" class="number">{ i18n.t(Key::WonAmount) }</th>
                        <th scope="col" class="number">{ i18n.t(Key::WonCount) }</th>
                        <th scope="col" class="number">{ i18n.t(Key::WinRate) }</th>
                        <th scope="col" class="number">{ i18n.t(Key::AverageDealSize) }</th>
                        <th scope="col" class="number">{ i18n.t(Key::AverageCycleDays) }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().enumerate().map(|(index, row)| rep_row(&i18n, index + 1, row)) }
                    </tbody>
                </table>
            };
            (Some(currency_note(&i18n, &report.currency)), table)
        }
    };
    html! {
        <Section id="dashboard-leaderboard" title={i18n.t(Key::Leaderboard)} {note} wide=true>
            { body }
        </Section>
    }
}
