//! Keys that make e-mail addresses and phone numbers comparable for search and duplicates.

/// Normalises an e-mail address for matching: trimmed and lower-cased.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Normalises a phone number for matching: its digits only, so `+86 138-0013-8000` and
/// `+8613800138000` share one key.
pub fn phone_key(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// Checks the shape of an e-mail address: one `@` with text on both sides and a dot in the
/// domain. Deliverability is not checked.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.trim().split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_key_keeps_digits() {
        assert_eq!(phone_key("+86 138-0013-8000"), "8613800138000");
    }

    #[test]
    fn email_key_lowercases() {
        assert_eq!(email_key("  Li.Wei@Example.COM "), "li.wei@example.com");
    }

    #[test]
    fn plausible_email_cases() {
        let cases = [
            ("a@b.co", true),
            ("a@b", false),
            ("@b.co", false),
            ("a@@b.co", false),
            ("a b@c.co", false),
            ("a@.co", false),
        ];
        for (email, expected) in cases {
            assert_eq!(is_plausible_email(email), expected, "{email}");
        }
    }
}
