//! Mobile numbers: what a clerk types, normalised to E.164 ("+5352942387"), with a plain reason
//! when the input cannot be a mobile number of the expected country.

use std::fmt;

/// A country whose mobile numbers saldo tops up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Country {
    Cuba,
    India,
}

impl Country {
    /// The international calling code, without "+".
    pub fn calling_code(self) -> &'static str {
        match self {
            Country::Cuba => "53",
            Country::India => "91",
        }
    }

    /// How many digits a national mobile number has.
    pub fn national_length(self) -> usize {
        match self {
            Country::Cuba => 8,
            Country::India => 10,
        }
    }

    /// The country's name in English.
    pub fn name(self) -> &'static str {
        match self {
            Country::Cuba => "Cuba",
            Country::India => "India",
        }
    }

    fn metadata_id(self) -> phonenumber::country::Id {
        match self {
            Country::Cuba => phonenumber::country::Id::CU,
            Country::India => phonenumber::country::Id::IN,
        }
    }
}

/// Why a text is not a mobile number of the expected country.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("enter the customer's mobile number")]
    Empty,
    #[error("a phone number has only digits, spaces and an optional leading +")]
    InvalidCharacters,
    #[error("this number is not from {country}: it must start with +{code}", country = .0.name(), code = .0.calling_code())]
    WrongCountry(Country),
    #[error("mobile numbers in {country} have {expected} digits, this one has {found}", country = .country.name())]
    WrongLength {
        country: Country,
        expected: usize,
        found: usize,
    },
    #[error("{national} is not a mobile number in {country} (it may be a landline)", country = .country.name())]
    NotMobile { country: Country, national: String },
}

/// A mobile number in E.164 form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    country: Country,
    national: String,
}

impl PhoneNumber {
    /// Reads a mobile number of `country` as a person may type it: national digits
    /// ("52942387"), with the country code ("5352942387"), or international ("+53 5294 2387",
    /// "0053 52942387"). Spaces, dashes, dots and brackets are ignored.
    pub fn parse_mobile(input: &str, country: Country) -> Result<PhoneNumber, PhoneError> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}'))
            .collect();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (international, digits) = match compact.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => match compact.strip_prefix("00") {
                Some(rest) => (true, rest),
                None => (false, compact.as_str()),
            },
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneError::InvalidCharacters);
        }
        let code = country.calling_code();
        let expected = country.national_length();
        let national = if international {
            digits
                .strip_prefix(code)
                .ok_or(PhoneError::WrongCountry(country))?
        } else if digits.len() == expected + code.len() && digits.starts_with(code) {
            &digits[code.len()..]
        } else if digits.len() == expected + 1 && digits.starts_with('0') {
            // The national trunk prefix ("0 96798 33706").
            &digits[1..]
        } else {
            digits
        };
        if national.len() != expected {
            return Err(PhoneError::WrongLength {
                country,
                expected,
                found: national.len(),
            });
        }
        let e164 = format!("+{code}{national}");
        let is_mobile = phonenumber::parse(Some(country.metadata_id()), &e164)
            .map(|number| {
                matches!(
                    number.number_type(&phonenumber::metadata::DATABASE),
                    phonenumber::Type::Mobile | phonenumber::Type::FixedLineOrMobile
                )
            })
            .unwrap_or(false);
        if !is_mobile {
            return Err(PhoneError::NotMobile {
                country,
                national: national.to_string(),
            });
        }
        Ok(PhoneNumber {
            country,
            national: national.to_string(),
        })
    }

    /// Reads a number already stored in E.164 form by saldo.
    pub fn from_e164(e164: &str, country: Country) -> Result<PhoneNumber, PhoneError> {
        PhoneNumber::parse_mobile(e164, country)
    }

    /// The country of the number.
    pub fn country(&self) -> Country {
        self.country
    }

    /// The national digits, without the country code ("52942387").
    pub fn national(&self) -> &str {
        &self.national
    }

    /// The E.164 form ("+5352942387").
    pub fn e164(&self) -> String {
        format!("+{}{}", self.country.calling_code(), self.national)
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e164())
    }
}

/// An E.164 number (`+5352942387`) written with a space after its country calling code
/// (`+53 52942387`): still the whole number, but no spreadsheet reads it as a number or a
/// formula. `None` for anything that is not an E.164 number.
pub fn spaced_international(e164: &str) -> Option<String> {
    let digits = e164.strip_prefix('+')?;
    if !(6..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code_len = (1..=3).find(|&len| {
        digits[..len]
            .parse::<u16>()
            .is_ok_and(|code| phonenumber::metadata::DATABASE.by_code(&code).is_some())
    })?;
    Some(format!("+{} {}", &digits[..code_len], &digits[code_len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuban_mobile_inputs_normalise_to_e164() {
        let inputs = [
            "52942387",
            "5352942387",
            "+5352942387",
            "+53 5294 2387",
            "0053 5294-2387",
            " (+53) 52.94.23.87 ",
        ];
        for input in inputs {
            let number = PhoneNumber::parse_mobile(input, Country::Cuba)
                .unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(number.e164(), "+5352942387", "{input:?}");
            assert_eq!(number.national(), "52942387");
        }
        assert_eq!(
            PhoneNumber::parse_mobile("63123456", Country::Cuba).map(|n| n.e164()),
            Ok("+5363123456".to_string())
        );
    }

    #[test]
    fn wrong_cuban_inputs_say_what_is_wrong() {
        use PhoneError::*;
        let cases = [
            ("", Empty),
            ("  ", Empty),
            ("5294238a", InvalidCharacters),
            ("+", InvalidCharacters),
            ("+1 305 555 0100", WrongCountry(Country::Cuba)),
            (
                "5294238",
                WrongLength {
                    country: Country::Cuba,
                    expected: 8,
                    found: 7,
                },
            ),
            (
                "529423871",
                WrongLength {
                    country: Country::Cuba,
                    expected: 8,
                    found: 9,
                },
            ),
            (
                "+53 529423",
                WrongLength {
                    country: Country::Cuba,
                    expected: 8,
                    found: 6,
                },
            ),
            (
                "78345678",
                NotMobile {
                    country: Country::Cuba,
                    national: "78345678".into(),
                },
            ),
        ];
        for (input, error) in cases {
            assert_eq!(
                PhoneNumber::parse_mobile(input, Country::Cuba),
                Err(error),
                "{input:?}"
            );
        }
    }

    #[test]
    fn indian_mobile_inputs_normalise_to_e164() {
        for input in [
            "9679833706",
            "+91 96798 33706",
            "919679833706",
            "09679833706",
            "0091-9679833706",
        ] {
            let number = PhoneNumber::parse_mobile(input, Country::India)
                .unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(number.e164(), "+919679833706", "{input:?}");
            assert_eq!(number.national(), "9679833706");
        }
        assert!(matches!(
            PhoneNumber::parse_mobile("967983370", Country::India),
            Err(PhoneError::WrongLength {
                expected: 10,
                found: 9,
                ..
            })
        ));
        assert!(matches!(
            PhoneNumber::parse_mobile("1123456789", Country::India),
            Err(PhoneError::NotMobile { .. })
        ));
        assert!(matches!(
            PhoneNumber::parse_mobile("+53 52942387", Country::India),
            Err(PhoneError::WrongCountry(Country::India))
        ));
    }

    #[test]
    fn errors_read_as_plain_sentences() {
        let err = PhoneNumber::parse_mobile("5294238", Country::Cuba).unwrap_err();
        assert_eq!(
            err.to_string(),
            "mobile numbers in Cuba have 8 digits, this one has 7"
        );
        let err = PhoneNumber::parse_mobile("78345678", Country::Cuba).unwrap_err();
        assert_eq!(
            err.to_string(),
            "78345678 is not a mobile number in Cuba (it may be a landline)"
        );
    }

    #[test]
    fn numbers_get_a_space_after_their_calling_code() {
        assert_eq!(
            super::spaced_international("+5352942387").as_deref(),
            Some("+53 52942387")
        );
        assert_eq!(
            super::spaced_international("+919876543210").as_deref(),
            Some("+91 9876543210")
        );
        assert_eq!(
            super::spaced_international("+12025550123").as_deref(),
            Some("+1 2025550123")
        );
        assert_eq!(super::spaced_international("+53=HYPERLINK()"), None);
        assert_eq!(super::spaced_international("1001"), None);
    }
}
