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

    /// How many days the month has (29, 30 or 31).
    pub fn days_in_month(year: i32, month: u8) -> u8 {
        Date::try_new_persian(year, month.clamp(1, 12), 1)
            .map(|d| d.days_in_month())
            .unwrap_or(30)
    }

    /// The day's place in the Iranian week, which starts on Saturday: 0 = Saturday … 6 = Friday.
    pub fn weekday_from_saturday(self) -> u8 {
        let (y, m, d) = self.to_gregorian();
        let monday_based = jiff::civil::date(y as i16, m as i8, d as i8)
            .weekday()
            .to_monday_zero_offset() as u8;
        (monday_based + 2) % 7
    }

    /// The day `days` later (earlier when negative).
    pub fn plus_days(self, days: i32) -> JalaliDate {
        let (y, m, d) = self.to_gregorian();
        let moved = jiff::civil::date(y as i16, m as i8, d as i8)
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(jiff::civil::date(y as i16, m as i8, d as i8));
        JalaliDate::from_gregorian(moved.year().into(), moved.month() as u8, moved.day() as u8)
            .unwrap_or(self)
    }

    /// The first day of the month `months` later (earlier when negative).
    pub fn first_of_month_plus(self, months: i32) -> JalaliDate {
        // Kept within years the calendar conversions handle (1 to 2000 SH).
        let index = (self.year * 12 + i32::from(self.month) - 1 + months).clamp(12, 2000 * 12);
        JalaliDate {
            year: index.div_euclid(12),
            month: (index.rem_euclid(12) + 1) as u8,
            day: 1,
        }
    }

    /// The same day in another month, moved back to the month's last day when it has fewer.
    pub fn with_day_clamped(year: i32, month: u8, day: u8) -> JalaliDate {
        JalaliDate {
            year,
            month,
            day: day.clamp(1, JalaliDate::days_in_month(year, month)),
        }
    }

    /// Today in the local time zone.
    pub fn today() -> JalaliDate {
        let today = jiff::Zoned::now().date();
        JalaliDate::from_gregorian(today.year().into(), today.month() as u8, today.day() as u8)
            .unwrap_or(JalaliDate {
                year: 1405,
                month: 1,
                day: 1,
            })
    }

    /// The month's name in Latin letters.
    pub fn month_name_latin(self) -> &'static str {
        MONTHS_LATIN[usize::from(self.month.clamp(1, 12)) - 1]
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
    fn calendar_arithmetic_for_the_date_picker() {
        assert_eq!(JalaliDate::days_in_month(1403, 1), 31);
        assert_eq!(JalaliDate::days_in_month(1403, 7), 30);
        assert_eq!(JalaliDate::days_in_month(1403, 12), 30);
        assert_eq!(JalaliDate::days_in_month(1402, 12), 29);
        // 1403/01/01 = 2024-03-20, a Wednesday: the fifth day of a week starting Saturday.
        assert_eq!(
            JalaliDate::new(1403, 1, 1).unwrap().weekday_from_saturday(),
            4
        );
        let last = JalaliDate::new(1402, 12, 29).unwrap();
        assert_eq!(last.plus_days(1), JalaliDate::new(1403, 1, 1).unwrap());
        assert_eq!(last.plus_days(-29), JalaliDate::new(1402, 11, 30).unwrap());
        let esfand = JalaliDate::new(1403, 12, 5).unwrap();
        assert_eq!(
            esfand.first_of_month_plus(1),
            JalaliDate::new(1404, 1, 1).unwrap()
        );
        assert_eq!(
            esfand.first_of_month_plus(-12),
            JalaliDate::new(1402, 12, 1).unwrap()
        );
        assert_eq!(
            JalaliDate::with_day_clamped(1402, 12, 31),
            JalaliDate::new(1402, 12, 29).unwrap()
        );
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
