//! Numbers, money and dates written the way each interface language writes them.
//!
//! Both languages group digits by thousands with a comma. They differ in currency symbols,
//! in compact amounts (thousands and millions in English, 万 and 亿 in Chinese) and in
//! dates.

use api_types::Money;
use rust_decimal::Decimal;
use time::{Date, Month};

use super::Locale;

/// Inserts a comma between each group of three digits of an unsigned integer.
fn group_thousands(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Formats a decimal with thousands separators, keeping its decimal places.
pub fn format_decimal(value: Decimal) -> String {
    let text = value.abs().to_string();
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "-"
    } else {
        ""
    };
    match fraction {
        Some(fraction) => format!("{sign}{}.{fraction}", group_thousands(whole)),
        None => format!("{sign}{}", group_thousands(whole)),
    }
}

/// Formats a count such as `8,800`.
pub fn format_count(count: u64) -> String {
    group_thousands(&count.to_string())
}

/// Returns the symbol written before an amount, or `None` to write the ISO code instead.
/// CNY is `¥` in both languages, so JPY gets the unambiguous `JP¥`.
pub fn currency_symbol(code: &str, locale: Locale) -> Option<&'static str> {
    let symbol = match (code, locale) {
        ("CNY", _) => "¥",
        ("JPY", _) => "JP¥",
        ("EUR", _) => "€",
        ("GBP", _) => "£",
        ("USD", Locale::En) => "$",
        ("USD", Locale::ZhCn) => "US$",
        ("HKD", _) => "HK$",
        ("TWD", _) => "NT$",
        _ => return None,
    };
    Some(symbol)
}

/// Writes `number` after the currency's symbol, or after its code and a space.
fn with_currency(number: &str, code: &str, locale: Locale) -> String {
    let (sign, digits) = match number.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", number),
    };
    match currency_symbol(code, locale) {
        Some(symbol) => format!("{sign}{symbol}{digits}"),
        None => format!("{sign}{code} {digits}"),
    }
}

/// Formats an amount in full, such as `$1,234.50` or `¥1,234.50`.
pub fn format_money(money: &Money, locale: Locale) -> String {
    with_currency(&format_decimal(money.amount), &money.currency, locale)
}

/// Formats an amount briefly for column headers: `$12.3M` or `¥1,234.5万`. Amounts below
/// one thousand (English) or ten thousand (Chinese) are written in full.
pub fn format_money_compact(money: &Money, locale: Locale) -> String {
    let units: &[(i64, &str)] = match locale {
        Locale::En => &[(1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")],
        Locale::ZhCn => &[(100_000_000, "亿"), (10_000, "万")],
    };
    let magnitude = money.amount.abs();
    for &(size, suffix) in units {
        let size = Decimal::from(size);
        if magnitude >= size {
            let scaled = (money.amount / size).round_dp(1).normalize();
            let number = format!("{}{suffix}", format_decimal(scaled));
            return with_currency(&number, &money.currency, locale);
        }
    }
    format_money(money, locale)
}

fn month_abbreviation(month: Month) -> &'static str {
    match month {
        Month::January => "Jan",
        Month::February => "Feb",
        Month::March => "Mar",
        Month::April => "Apr",
        Month::May => "May",
        Month::June => "Jun",
        Month::July => "Jul",
        Month::August => "Aug",
        Month::September => "Sep",
        Month::October => "Oct",
        Month::November => "Nov",
        Month::December => "Dec",
    }
}

/// Formats a calendar date: `Dec 4, 2026` or `2026年12月4日`.
pub fn format_date(date: Date, locale: Locale) -> String {
    match locale {
        Locale::En => format!(
            "{} {}, {}",
            month_abbreviation(date.month()),
            date.day(),
            date.year()
        ),
        Locale::ZhCn => format!(
            "{}年{}月{}日",
            date.year(),
            u8::from(date.month()),
            date.day()
        ),
    }
}

/// Formats a share such as a win probability: `60%` in both languages.
pub fn format_percent(percent: i32) -> String {
    format!("{percent}%")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn money(amount: &str, currency: &str) -> Money {
        Money {
            amount: amount.parse().unwrap_or_default(),
            currency: currency.to_owned(),
        }
    }

    #[test]
    fn decimal_groups_thousands() {
        let cases = [
            ("0", "0"),
            ("999", "999"),
            ("1000", "1,000"),
            ("1234567.89", "1,234,567.89"),
            ("-1234.50", "-1,234.50"),
            ("100000", "100,000"),
        ];
        for (input, expected) in cases {
            let value: Decimal = input.parse().unwrap_or_default();
            assert_eq!(format_decimal(value), expected, "{input}");
        }
    }

    #[test]
    fn money_uses_locale_symbols() {
        let cases = [
            ("1234.50", "USD", Locale::En, "$1,234.50"),
            ("1234.50", "USD", Locale::ZhCn, "US$1,234.50"),
            ("1234.50", "CNY", Locale::En, "¥1,234.50"),
            ("1234.50", "CNY", Locale::ZhCn, "¥1,234.50"),
            ("1500", "JPY", Locale::ZhCn, "JP¥1,500"),
            ("99.90", "EUR", Locale::En, "€99.90"),
            ("-20.00", "GBP", Locale::En, "-£20.00"),
            ("1000.00", "CHF", Locale::En, "CHF 1,000.00"),
            ("-5.00", "CHF", Locale::ZhCn, "-CHF 5.00"),
        ];
        for (amount, currency, locale, expected) in cases {
            assert_eq!(
                format_money(&money(amount, currency), locale),
                expected,
                "{amount} {currency} in {locale:?}"
            );
        }
    }

    #[test]
    fn compact_money_per_locale() {
        let cases = [
            ("12345678.00", "USD", Locale::En, "$12.3M"),
            ("950.00", "USD", Locale::En, "$950.00"),
            ("4500.00", "EUR", Locale::En, "€4.5K"),
            ("2000000000.00", "USD", Locale::En, "$2B"),
            ("12345678.00", "CNY", Locale::ZhCn, "¥1,234.6万"),
            ("250000000.00", "CNY", Locale::ZhCn, "¥2.5亿"),
            ("9999.00", "CNY", Locale::ZhCn, "¥9,999.00"),
            ("-12345678.00", "USD", Locale::ZhCn, "-US$1,234.6万"),
        ];
        for (amount, currency, locale, expected) in cases {
            assert_eq!(
                format_money_compact(&money(amount, currency), locale),
                expected,
                "{amount} {currency} in {locale:?}"
            );
        }
    }

    #[test]
    fn dates_per_locale() {
        let day = date!(2026 - 12 - 04);
        assert_eq!(format_date(day, Locale::En), "Dec 4, 2026");
        assert_eq!(format_date(day, Locale::ZhCn), "2026年12月4日");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(format_count(8800), "8,800");
        assert_eq!(format_count(42), "42");
    }
}
