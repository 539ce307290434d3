//! Days as the window's language writes and reads them: `2026-11-21` in English (unambiguous
//! where shops write both 11/21 and 21/11), `21/11/2026` in Spanish; ISO is read in both.

use jiff::civil::Date;

use crate::t;
use crate::ui::text::i18n::Language;

/// A day as `language` writes it.
pub fn day_text(day: Date, language: Language) -> String {
    match language {
        Language::Spanish => format!("{:02}/{:02}/{}", day.day(), day.month(), day.year()),
        _ => day.to_string(),
    }
}

/// A day as typed: `YYYY-MM-DD` always, and `DD/MM/YYYY` (or `D/M/YYYY`) as Spanish writes
/// dates. Blank is no day.
pub fn parse_day(text: &str, language: Language) -> Result<Option<Date>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || t!("history-bad-date", text = text);
    if let Ok(day) = text.parse::<Date>() {
        return Ok(Some(day));
    }
    if language != Language::Spanish {
        return Err(bad());
    }
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let [day, month, year] = parts.as_slice() else {
        return Err(bad());
    };
    let number = |part: &str| part.trim().parse::<i16>().map_err(|_| bad());
    let (day, month, year) = (number(day)?, number(month)?, number(year)?);
    if year < 1000 {
        return Err(bad());
    }
    let (Ok(month), Ok(day)) = (i8::try_from(month), i8::try_from(day)) else {
        return Err(bad());
    };
    Date::new(year, month, day).map(Some).map_err(|_| bad())
}

/// The month's name in the window's language (1 = January).
pub fn month_name(month: i8) -> String {
    let names = t!("calendar-months");
    names
        .split(',')
        .nth(usize::try_from(month - 1).unwrap_or(0))
        .map_or_else(|| month.to_string(), |n| n.trim().to_string())
}

/// Short week-day names, Monday first.
pub fn weekday_initials() -> Vec<String> {
    t!("calendar-weekdays")
        .split(',')
        .map(|d| d.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_dates_are_read_and_written_as_spanish_writes_them() {
        let day: Date = "2026-11-21".parse().unwrap();
        assert_eq!(day_text(day, Language::Spanish), "21/11/2026");
        assert_eq!(day_text(day, Language::English), "2026-11-21");
        let read = parse_day("21/11/2026", Language::Spanish);
        let iso = parse_day("2026-11-21", Language::Spanish);
        let wrong = parse_day("31/02/2026", Language::Spanish);
        assert_eq!(read.unwrap(), Some(day));
        assert_eq!(iso.unwrap(), Some(day));
        assert!(wrong.is_err());
        assert!(parse_day("21/300/2026", Language::Spanish).is_err());
        assert!(parse_day("21/11/2026", Language::English).is_err());
    }
}
