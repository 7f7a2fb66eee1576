//! Won amount against campaign cost per channel, with the return on that cost.

use api_types::reports::ChannelRoiRow;
use yew::prelude::*;

use super::{ReportProps, Section, currency_note, no_data};
use crate::api::reports::{ReportQuery, channel_roi};
use crate::components::charts::bar::{Bar, BarChart, BarRow};
use crate::components::remote::remote_view;
use crate::hooks::{use_i18n, use_remote};
use crate::i18n::{I18n, Key};
use crate::view_model::charts::to_f64;
use crate::view_model::dashboard::format_optional_ratio;

fn channel_bars(i18n: &I18n, row: &ChannelRoiRow) -> BarRow {
    let roi = format_optional_ratio(row.roi);
    BarRow {
        label: row
            .channel
            .clone()
            .unwrap_or_else(|| i18n.t(Key::NotSet).to_owned()),
        bars: vec![
            Bar {
                value: to_f64(row.won_amount.amount),
                text: i18n.money_compact(&row.won_amount),
            },
            Bar {
                value: to_f64(row.campaign_cost.amount),
                text: format!(
                    "{} · {} {roi}",
                    i18n.money_compact(&row.campaign_cost),
                    i18n.t(Key::Roi)
                ),
            },
        ],
        target: None,
        highlight: false,
    }
}

#[function_component]
pub fn ChannelsSection(props: &ReportProps) -> Html {
    let i18n = use_i18n();
    let report = use_remote(props.filters.clone(), |filters| async move {
        channel_roi(&ReportQuery::new(&filters, None)).await
    });
    let body = remote_view(&report.state, &report.reload, |report| {
        if report.rows.is_empty() {
            return no_data(&i18n);
        }
        let mut rows = report.rows.clone();
        rows.sort_by_key(|row| std::cmp::Reverse(row.won_amount.amount));
        let series = vec![
            i18n.t(Key::WonAmount).to_owned(),
            i18n.t(Key::CampaignCost).to_owned(),
        ];
        let rows = rows
            .iter()
            .map(|row| channel_bars(&i18n, row))
            .collect::<Vec<_>>();
        html! {
            <>
                <p class="muted small">{ currency_note(&i18n, &report.currency) }</p>
                <BarChart title={i18n.t(Key::ChannelRoi)} {series} {rows} hint={i18n.t(Key::TapForValue)} />
            </>
        }
    });
    html! { <Section id="dashboard-channels" title={i18n.t(Key::ChannelRoi)}>{ body }</Section> }
}
