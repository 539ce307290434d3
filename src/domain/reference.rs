//! Our own unique reference for every operation, made before anything is sent.

use std::fmt;

/// A reference such as `SAL-20261122-7K3M9QX2`: the UTC day it was made and 40 random bits in
/// Crockford base 32 (no I, L, O, U), short enough to read over the phone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference(String);

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl Reference {
    /// Makes a new reference for an operation starting now, by the machine's clock.
    pub fn generate() -> Reference {
        Reference::generate_on(jiff::Timestamp::now().as_millisecond())
    }

    /// Makes a new reference for an operation starting at `unix_ms` (the engine's clock).
    pub fn generate_on(unix_ms: i64) -> Reference {
        let day = jiff::Timestamp::from_millisecond(unix_ms)
            .map(|t| t.strftime("%Y%m%d").to_string())
            .unwrap_or_else(|_| "00000000".to_string());
        let random = uuid::Uuid::new_v4().as_u128();
        let tail: String = (0..8)
            .map(|i| ALPHABET[((random >> (i * 5)) & 31) as usize] as char)
            .collect();
        Reference(format!("SAL-{day}-{tail}"))
    }

    /// Makes a reference for an operation made at `unix_ms` (demo history), from `rng`.
    pub fn generate_at(unix_ms: i64, rng: &mut fastrand::Rng) -> Reference {
        let day = jiff::Timestamp::from_millisecond(unix_ms)
            .map(|t| t.strftime("%Y%m%d").to_string())
            .unwrap_or_else(|_| "00000000".to_string());
        let tail: String = (0..8).map(|_| ALPHABET[rng.usize(0..32)] as char).collect();
        Reference(format!("SAL-{day}-{tail}"))
    }

    /// Wraps a reference read from the ledger or typed by a person (upper-cased, trimmed).
    pub fn from_text(text: &str) -> Reference {
        Reference(text.trim().to_ascii_uppercase())
    }

    /// The reference as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_well_formed_and_distinct() {
        let a = Reference::generate();
        let b = Reference::generate();
        assert_ne!(a, b);
        let text = a.as_str();
        assert_eq!(text.len(), "SAL-20261122-7K3M9QX2".len());
        assert!(text.starts_with("SAL-"));
        assert!(text[13..].bytes().all(|c| ALPHABET.contains(&c)), "{text}");
        assert_eq!(Reference::from_text(" sal-1 ").as_str(), "SAL-1");
    }
}
