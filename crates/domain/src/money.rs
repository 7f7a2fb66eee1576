//! Money as an exact decimal amount in an ISO 4217 currency.
//!
//! Both databases store an amount as a 64-bit integer count of ten-thousandths
//! (`amount_e4`), so sums, sorting and range filters are exact on SQLite and PostgreSQL
//! alike, and an amount is read back at its currency's scale: `1234.5` USD returns as
//! `1234.50`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The fixed number of decimal places in a stored amount.
pub const STORED_SCALE: u32 = 4;

/// The largest absolute amount accepted: 10^14 units of any currency.
pub const MAX_ABS_AMOUNT: i64 = 100_000_000_000_000;

/// ISO 4217 codes that Dealbook accepts, each with its number of minor-unit digits.
const CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("BDT", 2),
    ("BHD", 3),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EGP", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("MXN", 2),
    ("MYR", 2),
    ("NGN", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("QAR", 2),
    ("RON", 2),
    ("RUB", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TND", 3),
    ("TRY", 2),
    ("TWD", 2),
    ("UAH", 2),
    ("USD", 2),
    ("VND", 0),
    ("ZAR", 2),
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency code {0:?}: use an ISO 4217 code such as USD, EUR or CNY")]
    UnknownCurrency(String),
    #[error("{currency} allows at most {allowed} decimal places, but the amount has {given}")]
    TooManyDecimals {
        currency: String,
        allowed: u32,
        given: u32,
    },
    #[error("amount is out of range: its absolute value must be below 100000000000000")]
    OutOfRange,
}

/// An ISO 4217 currency code known to Dealbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    minor_digits: u32,
}

impl Currency {
    pub const USD: Currency = Currency {
        code: "USD",
        minor_digits: 2,
    };

    /// Looks up a currency by its ISO 4217 code, which must be upper case.
    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        CURRENCIES
            .iter()
            .find(|(known, _)| *known == code)
            .map(|&(code, minor_digits)| Currency { code, minor_digits })
            .ok_or_else(|| MoneyError::UnknownCurrency(code.to_owned()))
    }

    pub fn code(self) -> &'static str {
        self.code
    }

    /// The number of decimal places of the currency's minor unit (2 for USD, 0 for JPY).
    pub fn minor_digits(self) -> u32 {
        self.minor_digits
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Currency::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// An exact amount in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Builds an amount, rejecting more decimal places than the currency has and values out
    /// of range. The amount is rescaled to the currency's minor digits.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Money, MoneyError> {
        let normalized = amount.normalize();
        if normalized.scale() > currency.minor_digits {
            return Err(MoneyError::TooManyDecimals {
                currency: currency.code.to_owned(),
                allowed: currency.minor_digits,
                given: normalized.scale(),
            });
        }
        if normalized.abs() >= Decimal::from(MAX_ABS_AMOUNT) {
            return Err(MoneyError::OutOfRange);
        }
        let mut amount = normalized;
        amount.rescale(currency.minor_digits);
        Ok(Money { amount, currency })
    }

    /// Rebuilds an amount from its stored count of ten-thousandths.
    pub fn from_stored(amount_e4: i64, currency: Currency) -> Money {
        let mut amount = Decimal::new(amount_e4, STORED_SCALE);
        amount.rescale(currency.minor_digits);
        Money { amount, currency }
    }

    /// The amount as a count of ten-thousandths, the form both databases store.
    pub fn stored_amount(&self) -> i64 {
        to_stored_amount(self.amount)
    }

    pub fn amount(&self) -> Decimal {
        self.amount
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }
}

/// Converts a decimal with at most four decimal places and an absolute value below
/// [`MAX_ABS_AMOUNT`] into ten-thousandths. Callers check those bounds first, through
/// [`Money::new`] or [`parse_stored_bound`].
fn to_stored_amount(amount: Decimal) -> i64 {
    let mut scaled = amount;
    scaled.rescale(STORED_SCALE);
    i64::try_from(scaled.mantissa()).unwrap_or(if amount.is_sign_negative() {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// Converts a filter bound such as `amount_min=1000.5` into ten-thousandths, or `None` when
/// it has more than four decimal places or is out of range.
pub fn parse_stored_bound(amount: Decimal) -> Option<i64> {
    let normalized = amount.normalize();
    (normalized.scale() <= STORED_SCALE && normalized.abs() < Decimal::from(MAX_ABS_AMOUNT))
        .then(|| to_stored_amount(normalized))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_default()
    }

    #[test]
    fn money_keeps_currency_scale() {
        let money = Money::new(dec("1234.5"), Currency::USD);
        assert_eq!(money.map(|m| m.amount().to_string()), Ok("1234.50".into()));
    }

    #[test]
    fn money_round_trips_through_storage() {
        let yen = Currency::parse("JPY").unwrap_or(Currency::USD);
        for (text, currency) in [
            ("0.01", Currency::USD),
            ("-99.99", Currency::USD),
            ("1500", yen),
        ] {
            let Ok(money) = Money::new(dec(text), currency) else {
                panic!("{text} should be valid");
            };
            let back = Money::from_stored(money.stored_amount(), currency);
            assert_eq!(back, money, "{text}");
        }
    }

    #[test]
    fn money_rejects_extra_decimals() {
        let result = Money::new(dec("10.001"), Currency::USD);
        assert!(matches!(
            result,
            Err(MoneyError::TooManyDecimals { given: 3, .. })
        ));
    }

    #[test]
    fn money_accepts_trailing_zeros() {
        assert!(Money::new(dec("10.1000"), Currency::USD).is_ok());
    }

    #[test]
    fn money_rejects_huge_amounts() {
        let result = Money::new(dec("100000000000000"), Currency::USD);
        assert_eq!(result, Err(MoneyError::OutOfRange));
    }

    #[test]
    fn currency_rejects_lowercase() {
        assert!(Currency::parse("usd").is_err());
        assert!(Currency::parse("CNY").is_ok());
    }
}
