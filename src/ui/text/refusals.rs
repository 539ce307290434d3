//! Provider refusals a clerk meets at the counter, recognised from the provider's own words
//! and said in the window's language with what to do next. The provider's words stay on the
//! card ("Reason: Saldo insuficiente"); this adds the advice under them.

use crate::providers::ProviderKind;
use crate::t;

/// Kinds of refusal a clerk can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The shop's account at the provider has too little balance.
    NoBalance,
    /// The API key or token was refused.
    Credentials,
    /// The destination is not a number the provider tops up.
    Number,
    /// The operator or circle chosen does not fit the number.
    Operator,
    /// The amount is not one the provider sells.
    Amount,
}

/// Recognises a refusal from the provider's message. The words are those the providers send:
/// QvaTel "Saldo insuficiente" (its API page and simulator), RechargeKit "Insufficient wallet
/// balance", SMS Partner's control codes as text, Marketext's "saldo insuficiente" on a 401
/// (../PROVIDERS.md and docs/providers/).
pub fn recognise(message: &str) -> Option<Refusal> {
    let text = fold(message);
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&[
        "insuficiente",
        "insufficient",
        "not enough balance",
        "low balance",
    ]) {
        return Some(Refusal::NoBalance);
    }
    if has(&[
        "token",
        "api key",
        "apikey",
        "unauthori",
        "no autorizado",
        "credential",
    ]) {
        return Some(Refusal::Credentials);
    }
    let invalid = has(&[
        "invalid",
        "invalido",
        "incorrect",
        "incorrecto",
        "not valid",
        "wrong",
    ]);
    if invalid && has(&["operator", "operador", "circle"]) {
        return Some(Refusal::Operator);
    }
    if invalid && has(&["amount", "monto", "importe", "denomination"]) {
        return Some(Refusal::Amount);
    }
    if invalid && has(&["number", "numero", "destino", "mobile", "movil", "msisdn"]) {
        return Some(Refusal::Number);
    }
    None
}

/// What to do about a refusal, naming the provider; `None` for words saldo does not know.
pub fn refusal_advice(provider: ProviderKind, message: &str) -> Option<String> {
    let name = provider.brand();
    Some(match recognise(message)? {
        Refusal::NoBalance => t!("refusal-no-balance", provider = name),
        Refusal::Credentials => t!("refusal-credentials", provider = name),
        Refusal::Number => t!("refusal-number"),
        Refusal::Operator => t!("refusal-operator"),
        Refusal::Amount => t!("refusal-amount", provider = name),
    })
}

/// Lower case without the accents Spanish messages carry.
fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_providers_own_words_are_recognised() {
        assert_eq!(recognise("Saldo insuficiente"), Some(Refusal::NoBalance));
        assert_eq!(
            recognise("Insufficient wallet balance"),
            Some(Refusal::NoBalance)
        );
        assert_eq!(recognise("Token inválido"), Some(Refusal::Credentials));
        assert_eq!(
            recognise("Número de destino inválido"),
            Some(Refusal::Number)
        );
        assert_eq!(recognise("Invalid operator code"), Some(Refusal::Operator));
        assert_eq!(recognise("Descripción del error"), None);
    }
}
