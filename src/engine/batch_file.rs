//! Reading a batch file: a CSV with a header naming the columns `number` and `amount`, plus
//! `operator` and `circle` for providers that need them. Every row is checked before anything
//! is stored or sent, and every bad row is reported, not just the first.

use std::io::Read;

use crate::ledger::BatchRowInput;
use crate::providers::Profile;
use crate::providers::registry::PickList;

use super::topup::{TopUpOrder, check_top_up};

/// The columns a batch file may have.
const COLUMNS: [&str; 4] = ["number", "amount", "operator", "circle"];

/// The most rows one batch may hold (a mistake guard, not a resource limit).
pub const MAX_BATCH_ROWS: usize = 100_000;

/// Reads and checks every row of a batch file for `profile`. On success, the rows to store;
/// otherwise one message per problem, each naming its line.
pub fn read_batch(
    mut input: impl Read,
    profile: &Profile,
    lists: &[PickList],
) -> Result<Vec<BatchRowInput>, Vec<String>> {
    let mut text = Vec::new();
    input
        .read_to_end(&mut text)
        .map_err(|e| vec![format!("the file cannot be read: {e}")])?;
    // The csv reader reports where it started reading a record, before the blank and comment
    // lines it skipped: step over those, then count lines.
    let line_at = |byte: u64| {
        let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
        while at < text.len() {
            let end = text[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(text.len(), |n| at + n + 1);
            let line = text[at..end].trim_ascii();
            if !(line.is_empty() || line.starts_with(b"#")) {
                break;
            }
            at = end;
        }
        1 + text[..at].iter().filter(|&&b| b == b'\n').count() as i64
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| vec![format!("the file cannot be read as CSV: {e}")])?
        .clone();
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let mut problems = Vec::new();
    for (at, name) in names.iter().enumerate() {
        if names[..at].contains(name) {
            problems.push(format!(
                "line 1: the column “{name}” is named twice: which one holds the value?"
            ));
        }
        if !COLUMNS.contains(&name.as_str()) {
            problems.push(format!(
                "line 1: unknown column “{name}”: the columns are {}",
                COLUMNS.join(", ")
            ));
        }
    }
    let column = |wanted: &str| names.iter().position(|n| n == wanted);
    let (Some(number_at), Some(amount_at)) = (column("number"), column("amount")) else {
        problems.push("line 1: the header must name the columns number and amount".to_string());
        return Err(problems);
    };
    let (operator_at, circle_at) = (column("operator"), column("circle"));
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| line_at(p.byte()));
                problems.push(format!("line {line}: {error}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > names.len() {
            problems.push(format!(
                "line {line}: {} fields, but the header names {} columns (a comma inside a \
                 value? put the value in double quotes)",
                record.len(),
                names.len()
            ));
            continue;
        }
        let cell = |at: Option<usize>| {
            at.and_then(|i| record.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let input = BatchRowInput {
            line,
            number: cell(Some(number_at)).unwrap_or_default(),
            amount: cell(Some(amount_at)).unwrap_or_default(),
            operator: cell(operator_at),
            circle: cell(circle_at),
        };
        match check_top_up(&order_for(&profile.name, &input, false), profile, lists) {
            Ok(_) => rows.push(input),
            Err(error) => problems.push(format!("line {line}: {error}")),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push("the file has no rows to send".to_string());
    }
    if rows.len() > MAX_BATCH_ROWS {
        problems.push(format!(
            "the file has {} rows; split it into batches of at most {MAX_BATCH_ROWS}",
            rows.len()
        ));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

fn as_written(choice: &Option<String>) -> String {
    choice.as_deref().unwrap_or("").trim().to_lowercase()
}

/// What identifies a batch whatever its file's name or row order: the profile and every row
/// (number in E.164, amount in minor units, operator and circle as written, without case or
/// surrounding spaces — not their codes, which a new live operator list may change), sorted,
/// hashed (SHA-256, hex). Rows that do not check out are hashed as written.
pub fn fingerprint(profile: &Profile, lists: &[PickList], rows: &[BatchRowInput]) -> String {
    use sha2::Digest;
    let mut lines: Vec<String> = rows
        .iter()
        .map(
            |row| match check_top_up(&order_for(&profile.name, row, false), profile, lists) {
                Ok(checked) => format!(
                    "{},{},{},{}",
                    checked.number.e164(),
                    checked.amount.minor(),
                    as_written(&row.operator),
                    as_written(&row.circle)
                ),
                Err(_) => format!(
                    "raw:{},{},{},{}",
                    row.number,
                    row.amount,
                    row.operator.as_deref().unwrap_or(""),
                    row.circle.as_deref().unwrap_or("")
                ),
            },
        )
        .collect();
    lines.sort();
    let mut hash = sha2::Sha256::new();
    hash.update(format!("profile {}\n", profile.id));
    for line in &lines {
        hash.update(line.as_bytes());
        hash.update(b"\n");
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The top-up order a batch row stands for.
pub fn order_for(profile: &str, row: &BatchRowInput, confirm_repeat: bool) -> TopUpOrder {
    TopUpOrder {
        operator: row.operator.clone(),
        circle: row.circle.clone(),
        confirm_repeat,
        ..TopUpOrder::new(profile, &row.number, &row.amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::ProviderKind;

    fn lists(kind: ProviderKind) -> Vec<PickList> {
        (kind.info().topup_pickers)()
    }

    fn profile(kind: ProviderKind) -> Profile {
        let mut settings = kind.default_settings();
        settings.denominations.clear();
        Profile {
            id: 1,
            name: "p".into(),
            provider: kind,
            base_url: "http://127.0.0.1:1".into(),
            settings,
        }
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let file = "\u{feff}Number,Amount\n52942387,20\n123,20\n\n# a comment\n52942388,abc\n";
        let problems = read_batch(
            file.as_bytes(),
            &profile(ProviderKind::Qvatel),
            &lists(ProviderKind::Qvatel),
        )
        .unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("line 3:"), "{problems:?}");
        assert!(problems[1].starts_with("line 6:"), "{problems:?}");
    }

    #[test]
    fn good_rows_keep_their_lines_and_extra_fields() {
        let file = "number;amount;operator;circle\n";
        // Semicolons are not the delimiter: the header names one unknown column.
        assert!(
            read_batch(
                file.as_bytes(),
                &profile(ProviderKind::Rechargekit),
                &lists(ProviderKind::Rechargekit)
            )
            .is_err()
        );
        let file = "number,amount,operator,circle\n9876543210,100,Airtel,Delhi NCR\n\
                    9876543211 , 50 , Jio , Mumbai\n";
        let rows = read_batch(
            file.as_bytes(),
            &profile(ProviderKind::Rechargekit),
            &lists(ProviderKind::Rechargekit),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].number, "9876543211");
        assert_eq!(rows[1].operator.as_deref(), Some("Jio"));
        let problems = read_batch(
            "number,amount\n9876543210,100\n".as_bytes(),
            &profile(ProviderKind::Rechargekit),
            &lists(ProviderKind::Rechargekit),
        )
        .unwrap_err();
        assert!(problems[0].contains("line 2"), "{problems:?}");
    }

    #[test]
    fn a_column_named_twice_or_a_row_with_extra_fields_is_refused() {
        let cuba = profile(ProviderKind::Qvatel);
        let problems = read_batch(
            "number,amount,amount\n52942387,20,15\n".as_bytes(),
            &cuba,
            &lists(cuba.provider),
        )
        .unwrap_err();
        assert!(problems[0].contains("named twice"), "{problems:?}");
        let problems = read_batch(
            "number,amount\n52942387,20\n52942388,1,000\n".as_bytes(),
            &cuba,
            &lists(cuba.provider),
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("line 3: 3 fields, but the header names 2"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_same_rows_in_another_order_have_the_same_fingerprint() {
        let cuba = profile(ProviderKind::Qvatel);
        let a = read_batch(
            "number,amount\n52942387,20\n+5352942388,15\n".as_bytes(),
            &cuba,
            &lists(cuba.provider),
        )
        .unwrap();
        let b = read_batch(
            "amount,number\n15.00,52942388\n20,5352942387\n".as_bytes(),
            &cuba,
            &lists(cuba.provider),
        )
        .unwrap();
        assert_eq!(
            fingerprint(&cuba, &lists(cuba.provider), &a),
            fingerprint(&cuba, &lists(cuba.provider), &b)
        );
        let c = read_batch(
            "number,amount\n52942387,20\n".as_bytes(),
            &cuba,
            &lists(cuba.provider),
        )
        .unwrap();
        assert_ne!(
            fingerprint(&cuba, &lists(cuba.provider), &a),
            fingerprint(&cuba, &lists(cuba.provider), &c)
        );
        let mut other = cuba.clone();
        other.id = 2;
        assert_ne!(
            fingerprint(&cuba, &lists(cuba.provider), &a),
            fingerprint(&other, &lists(other.provider), &a)
        );
    }
}
