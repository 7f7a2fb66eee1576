//! The editable fields of a deal, saved with `If-Match` so that a concurrent change is
//! reported instead of overwritten.

use api_types::deals::Deal;
use uuid::Uuid;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::board_filters::id_options;
use super::field::{Field, bind};
use super::remote::error_message;
use crate::api::{self, ApiError};
use crate::hooks::{use_directory, use_i18n};
use crate::i18n::Key;
use crate::shared::Shared;
use crate::view_model::deal_form::DealDraft;
use crate::view_model::fields::FieldErrors;

/// The fields this form shows, for finding server errors that none of them claims.
const FIELDS: [&str; 14] = [
    "name",
    "stage_id",
    "owner_id",
    "team_id",
    "company_id",
    "amount",
    "currency",
    "exchange_rate",
    "expected_close_date",
    "source",
    "region",
    "next_step",
    "competitor",
    "win_loss_reason",
];

#[derive(Properties, PartialEq)]
pub struct DealFieldsProps {
    pub deal: Shared<Deal>,
    /// Receives the saved deal.
    pub on_saved: Callback<Deal>,
    /// Loads the deal again, after someone else changed it.
    pub on_reload: Callback<()>,
}

#[function_component]
pub fn DealFields(props: &DealFieldsProps) -> Html {
    let i18n = use_i18n();
    let draft = use_state(|| DealDraft::from_deal(&props.deal));
    let (sending, errors) = (use_state(|| false), use_state(FieldErrors::default));
    let failure = use_state(|| None::<ApiError>);
    {
        let (draft, errors, failure) = (draft.clone(), errors.clone(), failure.clone());
        use_effect_with(props.deal.clone(), move |deal| {
            draft.set(DealDraft::from_deal(deal));
            errors.set(FieldErrors::default());
            failure.set(None);
        });
    }
    let onsubmit = {
        let (deal, draft, sending) = (props.deal.clone(), draft.clone(), sending.clone());
        let (errors, failure, on_saved) = (errors.clone(), failure.clone(), props.on_saved.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let patch = match draft.to_patch(&deal) {
                Ok(patch) => patch,
                Err(found) => return errors.set(found),
            };
            if api::deals::patch_body(patch.clone())
                .as_object()
                .is_some_and(|body| body.is_empty())
            {
                return;
            }
            let (id, version) = (deal.id, deal.version);
            let (sending, errors, failure, on_saved) = (
                sending.clone(),
                errors.clone(),
                failure.clone(),
                on_saved.clone(),
            );
            sending.set(true);
            spawn_local(async move {
                let result = api::deals::update_deal(id, version, patch).await;
                sending.set(false);
                match result {
                    Ok(saved) => on_saved.emit(saved),
                    Err(error) => {
                        errors.set(FieldErrors::from_error(&error));
                        failure.set(Some(error));
                    }
                }
            });
        })
    };
    let stale = failure.as_ref().is_some_and(ApiError::is_stale).then(|| {
        let on_reload = props.on_reload.clone();
        html! { <button type="button" class="button" onclick={move |_| on_reload.emit(())}>{ i18n.t(Key::Reload) }</button> }
    });
    let messages = errors.unclaimed(&FIELDS).into_iter().chain(
        failure
            .as_ref()
            .filter(|error| error.status() != Some(422))
            .map(|error| error_message(&i18n, error)),
    );
    html! {
        <form class="card form-grid" id="deal-form" onsubmit={onsubmit} novalidate=true>
            <h2>{ i18n.t(Key::Details) }</h2>
            <DealInputs draft={draft.clone()} errors={(*errors).clone()} stage_id={props.deal.stage_id} />
            { for messages.map(|message| html! { <p class="form-error" role="alert">{ message }</p> }) }
            <div class="form-actions">
                { for stale }
                <button class="button primary" type="submit" disabled={*sending}>
                    { i18n.t(if *sending { Key::Saving } else { Key::Save }) }
                </button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct DealInputsProps {
    draft: UseStateHandle<DealDraft>,
    errors: FieldErrors,
    /// The deal's stage, whose pipeline lists the stages to choose from.
    stage_id: Uuid,
}

/// Renders the inputs of the deal form, each with its errors below it.
#[function_component]
fn DealInputs(props: &DealInputsProps) -> Html {
    let (i18n, directory) = (use_i18n(), use_directory());
    let draft = &props.draft;
    let pipeline = directory.pipeline_of_stage(props.stage_id);
    let stages = pipeline
        .map(|pipeline| {
            pipeline
                .stages
                .iter()
                .map(|stage| (stage.id, stage.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let users = directory
        .users
        .iter()
        .map(|user| (user.id, user.name.clone()))
        .collect();
    let teams = directory
        .teams
        .iter()
        .map(|team| (team.id, team.name.clone()))
        .collect();
    let companies = directory
        .companies
        .iter()
        .map(|company| (company.id, company.name.clone()))
        .collect();
    let none = Some(i18n.t(Key::Nobody));

    let input = |id: &'static str,
                 key: Key,
                 kind: &'static str,
                 value: &str,
                 apply: fn(&mut DealDraft, String)| {
        html! {
            <Field label={i18n.t(key)} input_id={id} errors={props.errors.for_field(id)}>
                <input id={id} type={kind} value={value.to_owned()} oninput={bind::<_, InputEvent>(draft, apply)} />
            </Field>
        }
    };
    let select = |id: &'static str, key: Key, options: Html, apply: fn(&mut DealDraft, String)| {
        html! {
            <Field label={i18n.t(key)} input_id={id} errors={props.errors.for_field(id)}>
                <select id={id} onchange={bind::<_, Event>(draft, apply)}>{ options }</select>
            </Field>
        }
    };
    html! {
        <>
            { input("name", Key::DealName, "text", &draft.name, |d, v| d.name = v) }
            { select("stage_id", Key::Stage, id_options(stages, draft.stage_id.parse().ok(), None), |d, v| d.stage_id = v) }
            { select("owner_id", Key::Owner, id_options(users, draft.owner_id.parse().ok(), none), |d, v| d.owner_id = v) }
            { select("team_id", Key::Team, id_options(teams, draft.team_id.parse().ok(), none), |d, v| d.team_id = v) }
            { select("company_id", Key::Company, id_options(companies, draft.company_id.parse().ok(), none), |d, v| d.company_id = v) }
            { input("amount", Key::Amount, "text", &draft.amount, |d, v| d.amount = v) }
            { input("currency", Key::Currency, "text", &draft.currency, |d, v| d.currency = v) }
            { input("exchange_rate", Key::ExchangeRate, "text", &draft.exchange_rate, |d, v| d.exchange_rate = v) }
            { input("expected_close_date", Key::ExpectedClose, "date", &draft.expected_close_date, |d, v| d.expected_close_date = v) }
            { input("source", Key::Source, "text", &draft.source, |d, v| d.source = v) }
            { input("region", Key::Region, "text", &draft.region, |d, v| d.region = v) }
            { input("competitor", Key::Competitor, "text", &draft.competitor, |d, v| d.competitor = v) }
            { input("next_step", Key::NextStep, "text", &draft.next_step, |d, v| d.next_step = v) }
            { input("win_loss_reason", Key::WinLossReason, "text", &draft.win_loss_reason, |d, v| d.win_loss_reason = v) }
        </>
    }
}
