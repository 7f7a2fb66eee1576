//! Amount totals kept per currency. Amounts in different currencies are never added: each
//! currency keeps its own entry, ordered by currency code as the API orders them.

use api_types::Money;

/// Adds `amount` to the entry of its currency, creating the entry when missing.
pub fn add_amount(totals: &mut Vec<Money>, amount: &Money) {
    match totals.binary_search_by(|total| total.currency.cmp(&amount.currency)) {
        Ok(index) => totals[index].amount += amount.amount,
        Err(index) => totals.insert(index, amount.clone()),
    }
}

/// Subtracts `amount` from the entry of its currency. An entry that reaches zero is removed,
/// because the deal was most likely the last of its currency. When other deals of that
/// currency sum to zero, the entry is back at the next load of the board.
pub fn subtract_amount(totals: &mut Vec<Money>, amount: &Money) {
    if let Ok(index) = totals.binary_search_by(|total| total.currency.cmp(&amount.currency)) {
        totals[index].amount -= amount.amount;
        if totals[index].amount.is_zero() {
            totals.remove(index);
        }
    }
}

/// Sums amounts per currency.
pub fn sum_by_currency<'a>(amounts: impl IntoIterator<Item = &'a Money>) -> Vec<Money> {
    let mut totals = Vec::new();
    for amount in amounts {
        add_amount(&mut totals, amount);
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(amount: &str, currency: &str) -> Money {
        Money {
            amount: amount.parse().unwrap_or_default(),
            currency: currency.to_owned(),
        }
    }

    #[test]
    fn mixed_currencies_stay_apart() {
        let amounts = [
            money("100.50", "USD"),
            money("50.00", "EUR"),
            money("200.25", "USD"),
            money("1000.00", "CNY"),
        ];
        let totals = sum_by_currency(&amounts);
        assert_eq!(
            totals,
            vec![
                money("1000.00", "CNY"),
                money("50.00", "EUR"),
                money("300.75", "USD"),
            ]
        );
    }

    #[test]
    fn subtract_keeps_scale() {
        let mut totals = vec![money("300.75", "USD")];
        subtract_amount(&mut totals, &money("100.50", "USD"));
        assert_eq!(totals, vec![money("200.25", "USD")]);
        assert_eq!(totals[0].amount.to_string(), "200.25");
    }

    #[test]
    fn subtract_to_zero_removes_entry() {
        let mut totals = vec![money("5.00", "EUR"), money("10.00", "USD")];
        subtract_amount(&mut totals, &money("10.00", "USD"));
        assert_eq!(totals, vec![money("5.00", "EUR")]);
    }

    #[test]
    fn subtract_unknown_currency_changes_nothing() {
        let mut totals = vec![money("5.00", "EUR")];
        subtract_amount(&mut totals, &money("1.00", "JPY"));
        assert_eq!(totals, vec![money("5.00", "EUR")]);
    }
}
