//! Amounts of money (or provider points) as integer minor units plus their unit.
//!
//! Decimal text is accepted and produced only at the edges; no amount ever passes through a
//! floating-point type.

use std::fmt;

/// The unit an amount is counted in, and how many decimal places it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Unit {
    /// US dollar, 2 decimals.
    Usd,
    /// Cuban peso, 2 decimals.
    Cup,
    /// Euro as SMS Partner counts credit: to a tenth of a cent (3 decimals), since SMS prices
    /// and sub-account balances such as "0.045" are finer than a cent.
    Eur,
    /// Mexican peso, 2 decimals.
    Mxn,
    /// Indian rupee, 2 decimals.
    Inr,
    /// Iranian rial; Saba Payamak reports credit as a decimal, so two decimals are kept.
    Irr,
    /// A provider's own whole credit points.
    #[serde(rename = "PTS")]
    Points,
}

impl Unit {
    /// Every unit, for pickers and parsing.
    pub const ALL: [Unit; 7] = [
        Unit::Usd,
        Unit::Cup,
        Unit::Eur,
        Unit::Mxn,
        Unit::Inr,
        Unit::Irr,
        Unit::Points,
    ];

    /// The code stored in the ledger and shown beside amounts ("USD", "PTS").
    pub fn code(self) -> &'static str {
        match self {
            Unit::Usd => "USD",
            Unit::Cup => "CUP",
            Unit::Eur => "EUR",
            Unit::Mxn => "MXN",
            Unit::Inr => "INR",
            Unit::Irr => "IRR",
            Unit::Points => "PTS",
        }
    }

    /// How many decimal places the unit has.
    pub fn scale(self) -> u32 {
        match self {
            Unit::Points => 0,
            Unit::Eur => 3,
            _ => 2,
        }
    }

    /// Looks a unit up by its code, ignoring case.
    pub fn from_code(code: &str) -> Option<Unit> {
        Unit::ALL
            .into_iter()
            .find(|unit| unit.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a text could not be read as an amount.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("enter an amount")]
    Empty,
    #[error("“{0}” is not an amount: use digits and one decimal point or comma, e.g. 20.00")]
    NotANumber(String),
    #[error("use either a point or a comma as decimal separator, not both: “{0}”")]
    MixedSeparators(String),
    #[error("the amount cannot be negative")]
    Negative,
    #[error("{unit} takes at most {max} decimal places")]
    TooManyDecimals { unit: Unit, max: u32 },
    #[error("the amount is too large")]
    TooLarge,
    /// "5,000" for a unit with fewer than three decimals: a thousands separator, or a decimal
    /// one? Nothing is guessed.
    #[error("“{text}” is ambiguous: did you mean {thousands} or {decimal}? Type the one you mean")]
    Ambiguous {
        text: String,
        thousands: String,
        decimal: String,
    },
}

/// An amount: integer minor units of a [`Unit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Money {
    minor: i64,
    unit: Unit,
}

impl Money {
    /// An amount from minor units (cents for USD, whole points for PTS).
    pub fn from_minor(minor: i64, unit: Unit) -> Money {
        Money { minor, unit }
    }

    /// Zero of a unit.
    pub fn zero(unit: Unit) -> Money {
        Money { minor: 0, unit }
    }

    /// The amount in minor units.
    pub fn minor(self) -> i64 {
        self.minor
    }

    /// The unit.
    pub fn unit(self) -> Unit {
        self.unit
    }

    /// Reads an amount a person typed: "20", "20.00", "20,00" (comma as decimal separator),
    /// surrounding spaces allowed. Negative amounts are refused, and so is a separator followed
    /// by exactly three digits when the unit has fewer decimals ("5,000" points, "1,000"
    /// rupees): a clerk may mean thousands, and the wrong amount would be sent without a word.
    pub fn parse(text: &str, unit: Unit) -> Result<Money, MoneyError> {
        let trimmed = text.trim();
        if let Some((whole, fraction)) = trimmed.split_once(['.', ','])
            && unit.scale() < 3
            && fraction.len() == 3
            && !whole.is_empty()
            && !whole.starts_with('0')
            && whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())
            // Both readings must be amounts of this unit ("20.001" dollars is not one).
            && let Ok(decimal) = Money::parse_signed(&format!("{whole}.{fraction}"), unit)
        {
            return Err(MoneyError::Ambiguous {
                text: trimmed.to_string(),
                thousands: format!("{whole}{fraction}"),
                decimal: decimal.to_plain_decimal(),
            });
        }
        let money = Money::parse_signed(text, unit)?;
        if money.minor < 0 {
            return Err(MoneyError::Negative);
        }
        Ok(money)
    }

    /// Reads an amount a provider sent: like [`Money::parse`] but a sign is allowed, and extra
    /// decimal places are accepted when they are zeros ("0.800" EUR is 80 cents).
    pub fn parse_signed(text: &str, unit: Unit) -> Result<Money, MoneyError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (negative, body) = match trimmed.as_bytes()[0] {
            b'-' => (true, trimmed[1..].trim_start()),
            b'+' => (false, trimmed[1..].trim_start()),
            _ => (false, trimmed),
        };
        if body.contains('.') && body.contains(',') {
            return Err(MoneyError::MixedSeparators(trimmed.to_string()));
        }
        let mut parts = body.splitn(2, ['.', ',']);
        let whole = parts.next().unwrap_or_default();
        let fraction = parts.next();
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let valid = all_digits(whole)
            && (!whole.is_empty() || fraction.is_some())
            && fraction.is_none_or(|f| !f.is_empty() && all_digits(f));
        if !valid {
            return Err(MoneyError::NotANumber(trimmed.to_string()));
        }
        let scale = unit.scale();
        let fraction = fraction.unwrap_or_default();
        let significant = fraction.trim_end_matches('0');
        if significant.len() > scale as usize {
            return Err(MoneyError::TooManyDecimals { unit, max: scale });
        }
        let mut minor: i64 = 0;
        for digit in whole.bytes().chain(
            significant
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(scale as usize),
        ) {
            minor = minor
                .checked_mul(10)
                .and_then(|m| m.checked_add(i64::from(digit - b'0')))
                .ok_or(MoneyError::TooLarge)?;
        }
        let minor = if negative { -minor } else { minor };
        Ok(Money { minor, unit })
    }

    /// The amount as decimal text with the unit's decimal places and a point: "20.00", "-3.50", "150".
    pub fn to_decimal_string(self) -> String {
        let mut text = String::new();
        self.write_decimal(&mut text);
        text
    }

    /// The amount as people read it: thousands grouped with `group` and the decimals after
    /// `decimal`, with the unit ("14,810,150.00 IRR", "14.810.150,00 IRR"). Whole parts of
    /// fewer than `min_grouped` digits are not grouped (Spanish writes "1234,50").
    pub fn to_grouped_string(self, group: char, decimal: char, min_grouped: usize) -> String {
        let plain = self.to_decimal_string();
        let (sign, digits) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        let grouping = whole.len() >= min_grouped;
        for (index, digit) in whole.chars().enumerate() {
            if grouping && index > 0 && (whole.len() - index) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(digit);
        }
        let mut out = format!("{sign}{grouped}");
        if !fraction.is_empty() {
            out.push(decimal);
            out.push_str(fraction);
        }
        format!("{out} {}", self.unit)
    }

    /// Appends the amount as decimal text (see [`Money::to_decimal_string`]) to `out`, without
    /// allocating: for writing many amounts.
    pub fn write_decimal(self, out: &mut String) {
        use std::fmt::Write as _;
        let scale = self.unit.scale();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if scale == 0 {
            let _ = write!(out, "{sign}{abs}");
            return;
        }
        let factor = 10u64.pow(scale);
        let _ = write!(
            out,
            "{sign}{}.{:0width$}",
            abs / factor,
            abs % factor,
            width = scale as usize
        );
    }

    /// The amount as the shortest decimal text, for wire formats: "20", "0.8", "-3.5".
    pub fn to_plain_decimal(self) -> String {
        let text = self.to_decimal_string();
        if !text.contains('.') {
            return text;
        }
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }

    /// Adds two amounts of the same unit; `None` on a unit mismatch or overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.unit == other.unit).then_some(())?;
        Some(Money {
            minor: self.minor.checked_add(other.minor)?,
            unit: self.unit,
        })
    }

    /// Subtracts an amount of the same unit; `None` on a unit mismatch or overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        (self.unit == other.unit).then_some(())?;
        Some(Money {
            minor: self.minor.checked_sub(other.minor)?,
            unit: self.unit,
        })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_amounts_read_as_people_write_them() {
        let rial = Money::from_minor(1_481_015_000, Unit::Irr);
        assert_eq!(rial.to_grouped_string(',', '.', 4), "14,810,150.00 IRR");
        assert_eq!(rial.to_grouped_string('.', ',', 5), "14.810.150,00 IRR");
        assert_eq!(
            Money::from_minor(-50_000, Unit::Usd).to_grouped_string(',', '.', 4),
            "-500.00 USD"
        );
        assert_eq!(
            Money::from_minor(1_234, Unit::Points).to_grouped_string(',', '.', 4),
            "1,234 PTS"
        );
        assert_eq!(
            Money::from_minor(123_450, Unit::Usd).to_grouped_string('.', ',', 5),
            "1234,50 USD"
        );
    }

    #[test]
    fn valid_amounts_parse_to_minor_units() {
        let cases = [
            ("20", Unit::Usd, 2000),
            ("20.00", Unit::Usd, 2000),
            ("20,00", Unit::Usd, 2000),
            (" 15.5 ", Unit::Usd, 1550),
            ("0.01", Unit::Usd, 1),
            (".50", Unit::Usd, 50),
            ("7", Unit::Points, 7),
            ("7.0", Unit::Points, 7),
            ("0.800", Unit::Eur, 800),
            ("0.045", Unit::Eur, 45),
            ("92233720368547758.07", Unit::Usd, i64::MAX),
        ];
        for (text, unit, minor) in cases {
            assert_eq!(
                Money::parse(text, unit),
                Ok(Money::from_minor(minor, unit)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn invalid_amounts_are_refused_with_a_reason() {
        let cases = [
            ("", MoneyError::Empty),
            ("   ", MoneyError::Empty),
            ("abc", MoneyError::NotANumber("abc".into())),
            ("20.", MoneyError::NotANumber("20.".into())),
            ("2 0", MoneyError::NotANumber("2 0".into())),
            ("20.0.0", MoneyError::NotANumber("20.0.0".into())),
            ("1e3", MoneyError::NotANumber("1e3".into())),
            ("NaN", MoneyError::NotANumber("NaN".into())),
            ("1,000.00", MoneyError::MixedSeparators("1,000.00".into())),
            ("-5", MoneyError::Negative),
            (
                "20.001",
                MoneyError::TooManyDecimals {
                    unit: Unit::Usd,
                    max: 2,
                },
            ),
            ("92233720368547758.08", MoneyError::TooLarge),
            ("99999999999999999999999", MoneyError::TooLarge),
        ];
        for (text, error) in cases {
            assert_eq!(Money::parse(text, Unit::Usd), Err(error), "{text:?}");
        }
        assert_eq!(
            Money::parse("1.5", Unit::Points),
            Err(MoneyError::TooManyDecimals {
                unit: Unit::Points,
                max: 0
            })
        );
    }

    #[test]
    fn three_digits_after_a_separator_are_asked_about_not_guessed() {
        let ambiguous = |text: &str, unit| match Money::parse(text, unit) {
            Err(MoneyError::Ambiguous {
                thousands, decimal, ..
            }) => (thousands, decimal),
            other => panic!("{text:?} read as {other:?}"),
        };
        assert_eq!(
            ambiguous("5,000", Unit::Points),
            ("5000".into(), "5".into())
        );
        assert_eq!(ambiguous("1,000", Unit::Inr), ("1000".into(), "1".into()));
        assert_eq!(
            ambiguous(" 12.500 ", Unit::Usd),
            ("12500".into(), "12.5".into())
        );
        let message = Money::parse("5,000", Unit::Points).unwrap_err().to_string();
        assert!(
            message.contains("5000") && message.contains(" 5"),
            "{message}"
        );
        // Three decimals are decimals where the unit has three, and two are always decimals.
        assert_eq!(
            Money::parse("5,000", Unit::Eur),
            Ok(Money::from_minor(5000, Unit::Eur))
        );
        assert_eq!(
            Money::parse("5,00", Unit::Inr),
            Ok(Money::from_minor(500, Unit::Inr))
        );
        assert_eq!(
            Money::parse("0.500", Unit::Usd),
            Ok(Money::from_minor(50, Unit::Usd))
        );
        assert_eq!(
            Money::parse("5000", Unit::Points),
            Ok(Money::from_minor(5000, Unit::Points))
        );
        // What a provider sends is read as written.
        assert_eq!(
            Money::parse_signed("5.000", Unit::Points),
            Ok(Money::from_minor(5, Unit::Points))
        );
    }

    #[test]
    fn provider_amounts_may_be_signed() {
        assert_eq!(
            Money::parse_signed("-2869.2", Unit::Usd),
            Ok(Money::from_minor(-286920, Unit::Usd))
        );
        assert_eq!(
            Money::parse_signed("-0", Unit::Usd),
            Ok(Money::zero(Unit::Usd))
        );
    }

    #[test]
    fn amounts_print_as_decimal_text() {
        assert_eq!(Money::from_minor(2000, Unit::Usd).to_string(), "20.00 USD");
        assert_eq!(Money::from_minor(5, Unit::Eur).to_decimal_string(), "0.005");
        assert_eq!(
            Money::from_minor(61_800, Unit::Eur).to_plain_decimal(),
            "61.8"
        );
        assert_eq!(Money::from_minor(2000, Unit::Usd).to_plain_decimal(), "20");
        assert_eq!(
            Money::from_minor(150, Unit::Points).to_plain_decimal(),
            "150"
        );
        assert_eq!(
            Money::from_minor(-350, Unit::Cup).to_decimal_string(),
            "-3.50"
        );
        assert_eq!(Money::from_minor(150, Unit::Points).to_string(), "150 PTS");
        assert_eq!(
            Money::from_minor(i64::MIN, Unit::Usd).to_decimal_string(),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn arithmetic_refuses_mixed_units() {
        let usd = Money::from_minor(100, Unit::Usd);
        assert_eq!(
            usd.checked_add(usd),
            Some(Money::from_minor(200, Unit::Usd))
        );
        assert_eq!(usd.checked_sub(Money::from_minor(100, Unit::Eur)), None);
        assert_eq!(Unit::from_code(" usd"), Some(Unit::Usd));
    }
}
