//! Solar Hijri (Jalali) dates, as Saba Payamak's API takes and gives them, converted to and from
//! the Gregorian calendar through `icu_calendar`'s Persian calendar.

use std::fmt;

use icu_calendar::cal::Persian;
use icu_calendar::{Date, Iso};

/// The Persian month names, Farvardin first.
pub const MONTHS: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

/// The month names in Latin letters, for people who do not read Persian.
pub const MONTHS_LATIN: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];

/// A day in the Solar Hijri calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JalaliDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// A Gregorian day, as (year, month, day).
pub type GregorianDay = (i32, u8, u8);

impl JalaliDate {
    /// A valid Jalali day, or why not.
    pub fn new(year: i32, month: u8, day: u8) -> Result<JalaliDate, String> {
        Date::try_new_persian(year, month, day)
            .map(|_| JalaliDate { year, month, day })
            .map_err(|_| {
                format!("{year}/{month:02}/{day:02} is not a day of the Solar Hijri calendar")
            })
    }

    /// Reads `yyyy/mm/dd` (also with `-`, and with Persian or Arabic-Indic digits).
    pub fn parse(text: &str) -> Result<JalaliDate, String> {
        let latin: String = text.trim().chars().map(latin_digit).collect();
        let parts: Vec<&str> = latin.split(['/', '-']).collect();
        let numbers: Option<Vec<i32>> = parts.iter().map(|p| p.trim().parse().ok()).collect();
        match numbers.as_deref() {
            Some([year, month, day]) if (1..=12).contains(month) && (1..=31).contains(day) => {
                JalaliDate::new(*year, *month as u8, *day as u8)
            }
            _ => Err(format!(
                "“{}” is not a Jalali date: write it as yyyy/mm/dd, e.g. 1403/01/01",
                text.trim()
            )),
        }
    }

    /// The same day in the Gregorian calendar.
    pub fn to_gregorian(self) -> GregorianDay {
        match Date::try_new_persian(self.year, self.month, self.day) {
            Ok(date) => {
                let iso = date.to_calendar(Iso);
                (
                    iso.year().extended_year(),
                    iso.month().ordinal,
                    iso.day_of_month().0,
                )
            }
            // Unreachable for a JalaliDate made through `new`/`parse`.
            Err(_) => (0, 1, 1),
        }
    }

    /// The Jalali day of a Gregorian day.
    pub fn from_gregorian(year: i32, month: u8, day: u8) -> Result<JalaliDate, String> {
        let iso = Date::<Iso>::try_new_iso(year, month, day)
            .map_err(|_| format!("{year}-{month:02}-{day:02} is not a Gregorian day"))?;
        let persian = iso.to_calendar(Persian::new());
        Ok(JalaliDate {
            year: persian.year().extended_year(),
            month: persian.month().ordinal,
            day: persian.day_of_month().0,
        })
    }

    /// The month's Persian name.
    pub fn month_name(self) -> &'static str {
        MONTHS[usize::from(self.month.clamp(1, 12)) - 1]
    }
}

impl fmt::Display for JalaliDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}/{:02}", self.year, self.month, self.day)
    }
}

fn latin_digit(c: char) -> char {
    match c {
        '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10).unwrap_or(c),
        '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10).unwrap_or(c),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_new_years_convert_both_ways() {
        let cases = [
            ((1403, 1, 1), (2024, 3, 20)),
            ((1398, 1, 1), (2019, 3, 21)),
            ((1399, 1, 1), (2020, 3, 20)),
            ((1402, 12, 29), (2024, 3, 19)),
            ((1403, 12, 30), (2025, 3, 20)),
            ((1403, 6, 31), (2024, 9, 21)),
        ];
        for ((y, m, d), gregorian) in cases {
            let jalali = JalaliDate::new(y, m, d).unwrap();
            assert_eq!(jalali.to_gregorian(), gregorian, "{jalali}");
            let (gy, gm, gd) = gregorian;
            assert_eq!(JalaliDate::from_gregorian(gy, gm, gd).unwrap(), jalali);
        }
    }

    #[test]
    fn dates_are_read_as_people_write_them() {
        let expected = JalaliDate::new(1403, 1, 5).unwrap();
        for text in [
            "1403/01/05",
            "1403/1/5",
            " 1403-01-05 ",
            "۱۴۰۳/۰۱/۰۵",
            "١٤٠٣/٠١/٠٥",
        ] {
            assert_eq!(JalaliDate::parse(text), Ok(expected), "{text}");
        }
        for text in [
            "1403/13/01",
            "1403/01/32",
            "1402/12/30",
            "1403/01",
            "tomorrow",
            "",
        ] {
            assert!(JalaliDate::parse(text).is_err(), "{text}");
        }
        assert_eq!(expected.to_string(), "1403/01/05");
        assert_eq!(expected.month_name(), "فروردین");
    }
}
