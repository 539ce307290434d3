//! Errors in the window's language. Each typed error of the engine, ledger, keychain and
//! provider layer becomes a translated sentence that says what happened and what to do; only
//! the provider's own words (and a few rare internal details) stay as they came.

use crate::domain::time::local_text;
use crate::domain::{MoneyError, PhoneError};
use crate::engine::EngineError;
use crate::ledger::LedgerError;
use crate::ledger::export::ExportError;
use crate::providers::ProviderError;
use crate::secrets::SecretError;
use crate::t;
use crate::ui::text::numbers::money_text;

/// An engine error for the person at the window.
pub fn engine_error_text(error: &EngineError) -> String {
    match error {
        EngineError::BadInput(text) | EngineError::Config(text) => capitalise(text),
        EngineError::Secret(e) => secret_error_text(e),
        EngineError::NotRecorded(LedgerError::Unreachable(reason)) => {
            t!("error-server-down-nothing-sent", reason = reason)
        }
        EngineError::NotRecorded(e) => t!("error-not-recorded", reason = ledger_error_text(e)),
        EngineError::OutcomeNotRecorded {
            reference,
            outcome,
            error: LedgerError::Unreachable(_),
        } => t!(
            "error-outcome-kept",
            reference = reference,
            outcome = outcome
        ),
        EngineError::OutcomeNotRecorded {
            reference,
            outcome,
            error,
        } => t!(
            "error-outcome-not-recorded",
            reference = reference,
            outcome = outcome,
            reason = ledger_error_text(error)
        ),
        EngineError::Ledger(e) => ledger_error_text(e),
        EngineError::Provider(e) => provider_error_text(e),
        EngineError::PossibleRepeat(earlier) => t!(
            "error-possible-repeat",
            reference = earlier.reference.as_str(),
            time = local_text(earlier.created_at),
            state = state_text(earlier.state)
        ),
        EngineError::RepeatOfOpen(earlier) => t!(
            "error-repeat-of-open",
            reference = earlier.reference.as_str(),
            time = local_text(earlier.created_at),
            state = state_text(earlier.state)
        ),
        EngineError::SalesBlocked {
            profile,
            balance,
            floor,
        } => t!(
            "error-sales-blocked",
            profile = profile,
            balance = money_text(*balance),
            floor = money_text(*floor)
        ),
    }
}

/// A provider error for the person at the window.
pub fn provider_error_text(error: &ProviderError) -> String {
    match error {
        ProviderError::NotSent { reason } => t!("error-provider-not-sent", reason = reason),
        ProviderError::MaybeSent { reason } => t!("error-provider-maybe-sent", reason = reason),
        ProviderError::Rejected { message, .. } => {
            t!("error-provider-rejected", message = message)
        }
        ProviderError::Auth { message } => t!("error-provider-auth", message = message),
        ProviderError::RateLimited { retry_after } => match retry_after {
            Some(after) => t!(
                "error-provider-rate-limited-in",
                seconds = after.as_secs().max(1)
            ),
            None => t!("error-provider-rate-limited"),
        },
        ProviderError::Malformed { reason, .. } => {
            t!("error-provider-malformed", reason = reason)
        }
    }
}

/// A ledger error for the person at the window.
pub fn ledger_error_text(error: &LedgerError) -> String {
    match error {
        LedgerError::Open { path, reason } => t!(
            "error-ledger-open",
            path = path.display().to_string(),
            reason = reason
        ),
        LedgerError::OpenServer { address, reason } => t!(
            "error-ledger-open-server",
            address = address,
            reason = reason
        ),
        LedgerError::NewerSchema { path, .. } => {
            t!("error-ledger-newer", path = path.display().to_string())
        }
        LedgerError::Write(reason) => t!("error-ledger-write", reason = reason),
        LedgerError::Read(reason) => t!("error-ledger-read", reason = reason),
        LedgerError::ProfileExists(name) => t!("error-profile-exists", name = name),
        LedgerError::ProfileNotFound(name) => t!("error-profile-not-found", name = name),
        LedgerError::TransactionNotFound(reference) => {
            t!("error-operation-not-found", reference = reference)
        }
        other => capitalise(&other.to_string()),
    }
}

/// A keychain error for the person at the window.
pub fn secret_error_text(error: &SecretError) -> String {
    match error {
        SecretError::Unavailable => t!("error-keychain-unavailable"),
        SecretError::Locked => t!("error-keychain-locked"),
        SecretError::Missing { profile, kind } => t!(
            "error-secret-missing",
            profile = profile,
            secret = secret_kind_text(*kind)
        ),
        SecretError::Empty => t!("error-secret-empty"),
        SecretError::Keychain(reason) => t!("error-keychain-refused", reason = reason),
    }
}

/// An export error for the person at the window.
pub fn export_error_text(error: &ExportError) -> String {
    match error {
        ExportError::Ledger(e) => ledger_error_text(e),
        ExportError::Write(reason) => t!("error-export-write", reason = reason),
        ExportError::Cancelled => t!("history-export-cancelled"),
    }
}

/// Why a typed number is not a usable mobile number.
pub fn phone_error_text(error: &PhoneError) -> String {
    match error {
        PhoneError::Empty => t!("phone-error-empty"),
        PhoneError::InvalidCharacters => t!("phone-error-characters"),
        PhoneError::WrongCountry(country) => t!(
            "phone-error-wrong-country",
            country = country_text(*country),
            code = country.calling_code()
        ),
        PhoneError::WrongLength {
            country,
            expected,
            found,
        } => t!(
            "phone-error-length",
            country = country_text(*country),
            expected = *expected,
            found = *found
        ),
        PhoneError::NotMobile { country, national } => t!(
            "phone-error-not-mobile",
            country = country_text(*country),
            number = national
        ),
    }
}

/// Why a typed amount is not usable.
pub fn money_error_text(error: &MoneyError) -> String {
    match error {
        MoneyError::Empty => t!("amount-error-empty"),
        MoneyError::NotANumber(text) => t!("amount-error-not-a-number", text = text),
        MoneyError::MixedSeparators(text) => t!("amount-error-separators", text = text),
        MoneyError::Negative => t!("amount-error-negative"),
        MoneyError::TooManyDecimals { unit, max } => {
            t!("amount-error-decimals", unit = unit.code(), places = *max)
        }
        MoneyError::TooLarge => t!("amount-error-too-large"),
        MoneyError::Ambiguous {
            text,
            thousands,
            decimal,
        } => t!(
            "amount-error-ambiguous",
            text = text,
            thousands = thousands,
            decimal = decimal
        ),
    }
}

/// A country's name in the window's language.
pub fn country_text(country: crate::domain::Country) -> String {
    use crate::domain::Country;
    match country {
        Country::Cuba => t!("country-cuba"),
        Country::India => t!("country-india"),
    }
}

/// A provider's name with its country in the window's language ("SMS Partner (Francia)").
pub fn provider_text(kind: crate::providers::ProviderKind) -> String {
    use crate::providers::ProviderKind;
    let country = match kind {
        ProviderKind::Qvatel => t!("country-cuba"),
        ProviderKind::Smspartner => t!("country-france"),
        ProviderKind::Marketext => t!("country-mexico"),
        ProviderKind::Rechargekit => t!("country-india"),
        ProviderKind::Sabapayamak => t!("country-iran"),
    };
    format!("{} ({country})", kind.brand())
}

/// An operation state in the window's language.
pub fn state_text(state: crate::domain::TxState) -> String {
    use crate::domain::TxState;
    match state {
        TxState::Recorded => t!("state-recorded"),
        TxState::Sending => t!("state-sending"),
        TxState::Succeeded => t!("state-succeeded"),
        TxState::Failed => t!("state-failed"),
        TxState::Pending => t!("state-pending"),
        TxState::Unknown => t!("state-unknown"),
    }
}

/// An operation's state as a person reads it, saying who concluded a settled outcome when the
/// provider did not state it ("failed (settled by hand)").
pub fn outcome_text(record: &crate::ledger::TxRecord) -> String {
    use crate::domain::{Basis, TxState};
    match (record.state, record.basis) {
        (TxState::Failed, Some(Basis::Inferred)) => t!("state-failed-inferred"),
        (TxState::Failed, Some(Basis::ByHand)) => t!("state-failed-by-hand"),
        (TxState::Succeeded, Some(Basis::Inferred)) => t!("state-succeeded-inferred"),
        (TxState::Succeeded, Some(Basis::ByHand)) => t!("state-succeeded-by-hand"),
        (state, _) => state_text(state),
    }
}

/// An operation kind in the window's language.
pub fn kind_text(kind: crate::ledger::TxKind) -> String {
    use crate::ledger::TxKind;
    match kind {
        TxKind::TopUp => t!("kind-topup"),
        TxKind::CreditAdd => t!("kind-credit-add"),
        TxKind::CreditRemove => t!("kind-credit-remove"),
        TxKind::Transfer => t!("kind-transfer"),
    }
}

/// A kind of secret in the window's language.
pub fn secret_kind_text(kind: crate::secrets::SecretKind) -> String {
    use crate::secrets::SecretKind;
    match kind {
        SecretKind::ApiToken => t!("secret-api-token"),
        SecretKind::ApiKey => t!("secret-api-key"),
        SecretKind::AccessToken => t!("secret-access-token"),
        SecretKind::RefreshToken => t!("secret-refresh-token"),
        SecretKind::Username => t!("secret-username"),
        SecretKind::Password => t!("secret-password"),
        SecretKind::SessionToken => t!("secret-session-token"),
    }
}

/// The text with its first letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Why a profile's address cannot be used, in the window's language.
pub fn address_problem_text(problem: &crate::providers::http::AddressProblem) -> String {
    use crate::providers::http::AddressProblem;
    match problem {
        AddressProblem::PlainHttp { url } => t!("settings-error-http", url = url.as_str()),
        AddressProblem::NotAnAddress { text: url, .. }
        | AddressProblem::WrongScheme { url, .. }
        | AddressProblem::NoHost { url } => t!("settings-error-url", url = url.as_str()),
    }
}

/// Why a profile was not saved, in the window's language.
pub fn profile_save_error_text(error: &crate::engine::ProfileSaveError) -> String {
    use crate::engine::ProfileSaveError;
    match error {
        ProfileSaveError::BadName { name } => t!("settings-error-name", name = name.as_str()),
        ProfileSaveError::BadAddress(problem) => address_problem_text(problem),
        ProfileSaveError::Ledger(error) => ledger_error_text(error),
        ProfileSaveError::Internal(reason) => t!("error-internal", reason = reason.as_str()),
    }
}
