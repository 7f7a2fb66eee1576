//! The interface languages, English and Simplified Chinese, with their texts and formats.

pub mod format;
mod messages;

pub use messages::Key;

use api_types::Money;
use time::{Date, OffsetDateTime};
use yew::Callback;

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    En,
    ZhCn,
}

impl Locale {
    /// Every language, in the order the switcher lists them.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::ZhCn];

    /// Returns the BCP 47 tag that the API stores, `en` or `zh-CN`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// Parses a stored tag or a browser language such as `zh-Hans-CN`. Any Chinese tag
    /// reads as Simplified Chinese, and every other language as English.
    pub fn parse(tag: &str) -> Locale {
        match tag.to_ascii_lowercase().starts_with("zh") {
            true => Locale::ZhCn,
            false => Locale::En,
        }
    }

    /// Returns the language's own name, as the switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhCn => "简体中文",
        }
    }
}

/// The language in use, shared through a context with every component.
#[derive(Debug, Clone, PartialEq)]
pub struct I18n {
    pub locale: Locale,
    /// IANA time zone for instants; the signed-in user's, else the browser's.
    pub time_zone: Option<String>,
    /// Switches the language and remembers the choice.
    pub set_locale: Callback<Locale>,
}

impl I18n {
    /// Returns the text of `key`.
    pub fn t(&self, key: Key) -> &'static str {
        key.text(self.locale)
    }

    /// Returns the text of `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: Key, values: &[(&str, &str)]) -> String {
        fill(self.t(key), values)
    }

    pub fn money(&self, money: &Money) -> String {
        format::format_money(money, self.locale)
    }

    pub fn money_compact(&self, money: &Money) -> String {
        format::format_money_compact(money, self.locale)
    }

    pub fn date(&self, date: Date) -> String {
        format::format_date(date, self.locale)
    }

    pub fn count(&self, count: u64) -> String {
        format::format_count(count)
    }

    /// Formats an instant as a date and time in the user's time zone.
    pub fn instant(&self, instant: OffsetDateTime) -> String {
        format_instant(instant, self.locale, self.time_zone.as_deref())
    }
}

/// Replaces each `{name}` of `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// Formats an instant with the browser's `Intl` in `time_zone`, falling back to the
/// browser's own zone when the name is unknown to it.
#[cfg(target_arch = "wasm32")]
fn format_instant(instant: OffsetDateTime, locale: Locale, time_zone: Option<&str>) -> String {
    use wasm_bindgen::JsValue;

    let millis = (instant.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = js_sys::Date::new(&JsValue::from_f64(millis));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    if let Some(zone) = time_zone {
        let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &zone.into());
    }
    let arguments = js_sys::Array::of2(&locale.tag().into(), &options);
    // `Reflect.apply` turns the RangeError of an unknown zone into an `Err`.
    let formatted = js_sys::Reflect::get(&date, &"toLocaleString".into())
        .and_then(|function| js_sys::Reflect::apply(&function.into(), &date, &arguments));
    match formatted.ok().and_then(|text| text.as_string()) {
        Some(text) => text,
        None => date
            .to_locale_string(locale.tag(), &JsValue::UNDEFINED)
            .into(),
    }
}

/// Formats an instant in UTC, for native builds that have no `Intl`.
#[cfg(not(target_arch = "wasm32"))]
fn format_instant(instant: OffsetDateTime, locale: Locale, _time_zone: Option<&str>) -> String {
    let date = format::format_date(instant.date(), locale);
    format!("{date} {:02}:{:02} UTC", instant.hour(), instant.minute())
}

/// Reads the value of a `datetime-local` input, such as `2026-12-05T09:30`, as an instant
/// in the browser's time zone, which is the zone the input shows.
// NOTE: instants are shown in the time zone of the user's profile, but this input reads
// the browser's zone. The two differ when the profile names another zone.
#[cfg(target_arch = "wasm32")]
pub fn local_input_instant(text: &str) -> Option<OffsetDateTime> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(text));
    let millis = date.get_time();
    if text.is_empty() || millis.is_nan() {
        return None;
    }
    OffsetDateTime::from_unix_timestamp_nanos(millis as i128 * 1_000_000).ok()
}

/// Reads the value of a `datetime-local` input as UTC, for native builds.
#[cfg(not(target_arch = "wasm32"))]
pub fn local_input_instant(text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    time::PrimitiveDateTime::parse(text, format)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_parses_browser_tags() {
        assert_eq!(Locale::parse("zh-CN"), Locale::ZhCn);
        assert_eq!(Locale::parse("zh-Hans-CN"), Locale::ZhCn);
        assert_eq!(Locale::parse("en-US"), Locale::En);
        assert_eq!(Locale::parse("de"), Locale::En);
    }

    #[test]
    fn locale_tags_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.tag()), locale);
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        let text = fill(
            "{count} deals in {stage}",
            &[("count", "3"), ("stage", "Won")],
        );
        assert_eq!(text, "3 deals in Won");
    }
}
