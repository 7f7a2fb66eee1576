//! Conversions between API bodies and domain values that apply to several resources.

use domain::time::from_stored;
use domain::{Currency, Money};
use persistence::FieldError;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Converts a money body into a domain amount, reporting errors against `field`.
pub fn money_in(field: &str, money: &api_types::Money) -> Result<Money, FieldError> {
    let currency = Currency::parse(&money.currency).map_err(|error| {
        FieldError::new(
            format!("{field}.currency"),
            "unknown_currency",
            error.to_string(),
        )
    })?;
    if money.amount.is_sign_negative() && !money.amount.is_zero() {
        return Err(FieldError::new(
            format!("{field}.amount"),
            "negative_amount",
            format!(
                "{field}.amount must not be negative, but was {}",
                money.amount
            ),
        ));
    }
    Money::new(money.amount, currency).map_err(|error| {
        FieldError::new(
            format!("{field}.amount"),
            "invalid_amount",
            error.to_string(),
        )
    })
}

/// Converts an optional money body, collecting the error into `errors`.
pub fn optional_money_in(
    field: &str,
    money: Option<&api_types::Money>,
    errors: &mut Vec<FieldError>,
) -> Option<Money> {
    match money.map(|money| money_in(field, money)) {
        Some(Ok(money)) => Some(money),
        Some(Err(error)) => {
            errors.push(error);
            None
        }
        None => None,
    }
}

/// Builds a money body from a stored amount and currency code.
pub fn money_out(amount_e4: Option<i64>, currency: Option<&str>) -> Option<api_types::Money> {
    let amount_e4 = amount_e4?;
    let currency = Currency::parse(currency?).unwrap_or(Currency::USD);
    let money = Money::from_stored(amount_e4, currency);
    Some(api_types::Money {
        amount: money.amount(),
        currency: currency.code().to_owned(),
    })
}

/// Converts a stored instant for a response.
pub fn instant_out(stored: PrimitiveDateTime) -> OffsetDateTime {
    from_stored(stored)
}

/// Trims text input and turns an empty string into `None`.
pub fn clean(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// Trims a patch of a nullable text field, treating an empty string as clearing it.
pub fn clean_patch(text: Option<Option<String>>) -> Option<Option<String>> {
    text.map(clean)
}

/// Checks the length of an optional text field.
pub fn check_length(field: &str, text: Option<&str>, max: usize, errors: &mut Vec<FieldError>) {
    if let Some(text) = text
        && text.chars().count() > max
    {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("{field} must be at most {max} characters"),
        ));
    }
}
