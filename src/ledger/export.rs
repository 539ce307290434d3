//! Exporting the ledger to CSV: streamed row by row from a separate read-only connection
//! through the `csv` crate, so any size takes constant memory and the app keeps writing.
//!
//! Two audiences: a spreadsheet (cells a spreadsheet would run as a formula are neutralised
//! the OWASP way, with a leading `'`) or another program (plain RFC 4180). A `;` delimiter and
//! a UTF-8 byte-order mark serve Excel in Spanish and French locales.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use super::history::HistoryFilter;
use super::{LedgerError, Store};
use crate::domain::{Money, Note, Unit};

/// Who will read the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvAudience {
    /// A person, in Excel or LibreOffice: formula-like cells are neutralised.
    #[default]
    Spreadsheet,
    /// Another program: plain RFC 4180, every value exactly as stored.
    Import,
}

/// How the CSV is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvStyle {
    pub audience: CsvAudience,
    /// `b','` or `b';'`.
    pub delimiter: u8,
    /// Start with a UTF-8 byte-order mark (Excel needs it to read UTF-8).
    pub bom: bool,
}

impl Default for CsvStyle {
    fn default() -> Self {
        CsvStyle {
            audience: CsvAudience::Spreadsheet,
            delimiter: b',',
            bom: false,
        }
    }
}

/// The export's columns, in order.
pub const EXPORT_HEADER: [&str; 14] = [
    "reference",
    "created_utc",
    "created_local",
    "kind",
    "profile",
    "provider",
    "destination",
    "amount",
    "unit",
    "state",
    "provider_reference",
    "provider_message",
    "updated_utc",
    "counter",
];

/// A destination as a spreadsheet should show it: a phone number keeps every digit and its `+`
/// but gets a space after the calling code, so it stays text (and cannot be a formula); any
/// other destination (a sub-account id) is neutralised like any cell.
pub fn spreadsheet_destination(text: &str) -> Cow<'_, str> {
    match crate::domain::phone::spaced_international(text) {
        Some(spaced) => Cow::Owned(spaced),
        None => spreadsheet_cell(text),
    }
}

/// A cell made safe for a spreadsheet: one starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'`, so it shows as text instead of running as a formula.
pub fn spreadsheet_cell(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// A cell as the audience should get it: neutralised for a spreadsheet, untouched otherwise.
fn for_audience(spreadsheet: bool, value: &str) -> Cow<'_, str> {
    if spreadsheet {
        spreadsheet_cell(value)
    } else {
        Cow::Borrowed(value)
    }
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("could not write the file: {0}")]
    Write(String),
    #[error("the export was cancelled; the file is incomplete")]
    Cancelled,
}

impl From<super::db::DbError> for ExportError {
    fn from(error: super::db::DbError) -> Self {
        ExportError::Ledger(LedgerError::from(error).reading())
    }
}

impl From<csv::Error> for ExportError {
    fn from(error: csv::Error) -> Self {
        ExportError::Write(error.to_string())
    }
}

/// Phone numbers spaced after their calling code, remembering each code's length by the
/// number's first digits (looking codes up in the metadata for every row is slow).
#[derive(Default)]
struct CallingCodes {
    lengths: std::collections::HashMap<[u8; 3], Option<usize>>,
}

impl CallingCodes {
    fn spaced(&mut self, e164: &str) -> Option<String> {
        let digits = e164.strip_prefix('+')?;
        let key: [u8; 3] = digits.as_bytes().get(..3)?.try_into().ok()?;
        let length = *self.lengths.entry(key).or_insert_with(|| {
            crate::domain::phone::spaced_international(e164)
                .and_then(|spaced| spaced.find(' ').map(|space| space - 1))
        });
        let length = length?;
        if !(6..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut text = String::with_capacity(e164.len() + 1);
        text.push('+');
        text.push_str(&digits[..length]);
        text.push(' ');
        text.push_str(&digits[length..]);
        Some(text)
    }
}

/// Formats ledger times quickly: rows come in time order, so the date part (and the local
/// offset) is worked out once per day or hour and reused.
struct TimeText {
    zone: jiff::tz::TimeZone,
    utc_day: (i64, String),
    local_hour: (i64, i64),
    local_day: (i64, String),
}

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;

impl TimeText {
    fn new() -> TimeText {
        TimeText {
            zone: jiff::tz::TimeZone::system(),
            utc_day: (i64::MIN, String::new()),
            local_hour: (i64::MIN, 0),
            local_day: (i64::MIN, String::new()),
        }
    }

    fn date_of(day: i64) -> String {
        jiff::Timestamp::from_millisecond(day * DAY_MS)
            .map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_else(|_| "invalid".into())
    }

    fn clock(out: &mut String, ms_of_day: i64, millis: bool) {
        let digit = |n: i64| char::from(b'0' + (n % 10) as u8);
        let two = |out: &mut String, n: i64| {
            out.push(digit(n / 10));
            out.push(digit(n));
        };
        two(out, ms_of_day / HOUR_MS);
        out.push(':');
        two(out, ms_of_day / 60_000 % 60);
        out.push(':');
        two(out, ms_of_day / 1000 % 60);
        if millis {
            let ms = ms_of_day % 1000;
            out.push('.');
            out.push(digit(ms / 100));
            two(out, ms % 100);
        }
    }

    /// ISO 8601 UTC with milliseconds, e.g. `2026-11-22T18:30:12.345Z`.
    fn utc(&mut self, unix_ms: i64, out: &mut String) {
        out.clear();
        let day = unix_ms.div_euclid(DAY_MS);
        if self.utc_day.0 != day {
            self.utc_day = (day, Self::date_of(day));
        }
        out.push_str(&self.utc_day.1);
        out.push('T');
        Self::clock(out, unix_ms.rem_euclid(DAY_MS), true);
        out.push('Z');
    }

    /// Local wall time, e.g. `2026-11-22 19:30:12`.
    fn local(&mut self, unix_ms: i64, out: &mut String) {
        out.clear();
        let hour = unix_ms.div_euclid(HOUR_MS);
        if self.local_hour.0 != hour {
            let offset = jiff::Timestamp::from_millisecond(unix_ms)
                .map(|t| i64::from(self.zone.to_offset(t).seconds()) * 1000)
                .unwrap_or(0);
            self.local_hour = (hour, offset);
        }
        let local = unix_ms + self.local_hour.1;
        let day = local.div_euclid(DAY_MS);
        if self.local_day.0 != day {
            self.local_day = (day, Self::date_of(day));
        }
        out.push_str(&self.local_day.1);
        out.push(' ');
        Self::clock(out, local.rem_euclid(DAY_MS), false);
    }
}

/// Writes every operation matching `filter`, oldest first, as CSV to `out`, reading the ledger
/// in `store` through a connection of its own (read-only on SQLite). `progress` hears the row count
/// every 10,000 rows and may return `false` to cancel. Returns how many rows were written.
pub fn export_csv(
    store: &Store,
    filter: &HistoryFilter,
    out: impl Write,
    style: CsvStyle,
    mut progress: impl FnMut(u64) -> bool,
) -> Result<u64, ExportError> {
    let mut conn = store.open_reader()?;
    let mut sql = conn.sql();
    let (conditions, params) = filter.conditions(sql.dialect());
    let query = format!(
        "SELECT t.reference, t.created_at, t.kind, p.name, p.provider, t.destination,
                t.amount_minor, t.unit, t.state, t.provider_ref, t.provider_message, t.updated_at,
                COALESCE(t.counter, '')
         FROM transactions t JOIN profiles p ON p.id = t.profile_id
         WHERE 1 = 1{conditions}
         ORDER BY t.created_at, t.id"
    );

    let mut out = out;
    if style.bom {
        out.write_all("\u{feff}".as_bytes())
            .map_err(|e| ExportError::Write(e.to_string()))?;
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(style.delimiter)
        .buffer_capacity(1 << 16)
        .from_writer(out);
    writer.write_record(EXPORT_HEADER)?;
    let mut times = TimeText::new();
    let (mut created_utc, mut created_local, mut updated_utc, mut amount) =
        (String::new(), String::new(), String::new(), String::new());
    let mut count = 0u64;
    let spreadsheet = style.audience == CsvAudience::Spreadsheet;
    let mut last_unit: (Vec<u8>, Option<Unit>) = (Vec::new(), None);
    let mut phones = CallingCodes::default();
    sql.for_each(&query, &params, |row| {
        let text = |i: usize| -> Result<&str, ExportError> { Ok(row.text_at(i)?) };
        let int = |i: usize| -> Result<i64, ExportError> { Ok(row.int_at(i)?) };
        let created = int(1)?;
        times.utc(created, &mut created_utc);
        times.local(created, &mut created_local);
        times.utc(int(11)?, &mut updated_utc);
        let unit_code = text(7)?;
        if last_unit.0 != unit_code.as_bytes() {
            last_unit = (unit_code.as_bytes().to_vec(), Unit::from_code(unit_code));
        }
        amount.clear();
        match last_unit.1 {
            Some(unit) => Money::from_minor(int(6)?, unit).write_decimal(&mut amount),
            None => amount.push_str(&int(6)?.to_string()),
        }
        let destination = text(5)?;
        let destination = if spreadsheet {
            phones
                .spaced(destination)
                .map_or_else(|| spreadsheet_cell(destination), Cow::Owned)
        } else {
            Cow::Borrowed(destination)
        };
        // Only cells that need neutralising (or saldo's own notes, said in English) are
        // copied; the rest are borrowed from the row.
        let message = Note::in_english(text(10)?);
        let (profile, provider_ref, message, counter) = (
            for_audience(spreadsheet, text(3)?),
            for_audience(spreadsheet, text(9)?),
            for_audience(spreadsheet, &message),
            for_audience(spreadsheet, text(12)?),
        );
        writer.write_record([
            text(0)?,
            created_utc.as_str(),
            created_local.as_str(),
            text(2)?,
            &profile,
            text(4)?,
            &destination,
            amount.as_str(),
            unit_code,
            text(8)?,
            &provider_ref,
            &message,
            updated_utc.as_str(),
            &counter,
        ])?;
        count += 1;
        if count.is_multiple_of(10_000) && !progress(count) {
            return Err(ExportError::Cancelled);
        }
        Ok(())
    })?;
    writer
        .flush()
        .map_err(|e| ExportError::Write(e.to_string()))?;
    progress(count);
    Ok(count)
}

/// Exports to `path` through `PATH.csv.partial`, renamed at the end, so a failed or cancelled
/// export never leaves a half file behind. `Ok(None)` when `progress` cancelled it.
pub fn export_to_file(
    store: &Store,
    filter: &HistoryFilter,
    path: &Path,
    style: CsvStyle,
    progress: impl FnMut(u64) -> bool,
) -> Result<Option<u64>, ExportError> {
    let partial = path.with_extension("csv.partial");
    let file = std::fs::File::create(&partial)
        .map_err(|e| ExportError::Write(format!("{}: {e}", partial.display())))?;
    let written = export_csv(store, filter, file, style, progress).and_then(|rows| {
        std::fs::rename(&partial, path)
            .map(|()| rows)
            .map_err(|e| ExportError::Write(e.to_string()))
    });
    match written {
        Ok(rows) => Ok(Some(rows)),
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            match error {
                ExportError::Cancelled => Ok(None),
                other => Err(other),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised_and_others_kept() {
        for risky in ["=1+1", "+5352942387", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_cell(risky), format!("'{risky}"));
        }
        for plain in ["SAL-20261122-7K3M9QX2", "20.00", "Recargado", "", "a=b"] {
            assert_eq!(spreadsheet_cell(plain), plain);
        }
        assert_eq!(spreadsheet_destination("+5352942387"), "+53 52942387");
        assert_eq!(spreadsheet_destination("1001"), "1001");
        assert_eq!(spreadsheet_destination("+1+1"), "'+1+1");
    }

    #[test]
    fn times_are_formatted_like_the_slow_path() {
        let mut times = TimeText::new();
        let mut out = String::new();
        for ms in [
            0,
            1_774_000_000_123,
            1_774_000_000_999,
            1_800_000_000_000,
            -1,
        ] {
            times.utc(ms, &mut out);
            assert_eq!(out, crate::domain::time::utc_iso(ms));
            times.local(ms, &mut out);
            assert_eq!(out, crate::domain::time::local_text(ms));
        }
    }
}
