//! CSV export of a real ledger file: spreadsheet mode neutralises formulas but keeps phone
//! numbers and amounts intact, import mode is raw RFC 4180, filters pick exactly their rows,
//! and (when LibreOffice is installed) Calc reads the file as intended.

use std::process::Command;

use saldo::domain::{Money, Note, Reference, TxState, Unit};
use saldo::ledger::export::{CsvAudience, CsvStyle, export_csv, export_to_file};
use saldo::ledger::{HistoryFilter, Ledger, NewOperation, StateChange, TxKind};
use saldo::providers::ProviderKind;

/// A ledger with a Cuban top-up, an Indian one whose provider message tries a formula, and an
/// SMS Partner credit move.
fn ledger(dir: &std::path::Path) -> Ledger {
    let ledger = Ledger::open_in(dir).unwrap();
    let add = |name: &str, kind: ProviderKind| {
        ledger
            .add_profile(name, kind, "http://127.0.0.1:1", &kind.default_settings())
            .unwrap()
    };
    let cuba = add("cuba", ProviderKind::Qvatel);
    let india = add("india", ProviderKind::Rechargekit);
    let france = add("fr", ProviderKind::Smspartner);
    // saldo's own words are kept as data; the export says them in English.
    let balances_after = Note::BalancesAfter {
        main: Money::parse("2859.2", Unit::Eur).unwrap(),
        sub_account: Money::parse("71.8", Unit::Eur).unwrap(),
    }
    .to_stored();
    let rows = [
        (
            &cuba,
            TxKind::TopUp,
            "+5352942387",
            "20",
            Unit::Usd,
            "Recargado",
        ),
        (
            &india,
            TxKind::TopUp,
            "+919876543210",
            "199.50",
            Unit::Inr,
            "=HYPERLINK(\"http://x\")",
        ),
        (
            &france,
            TxKind::CreditAdd,
            "1001",
            "12.345",
            Unit::Eur,
            balances_after.as_str(),
        ),
    ];
    for (profile, kind, to, amount, unit, message) in rows {
        let reference = Reference::generate();
        ledger
            .record_new(&NewOperation {
                reference: &reference,
                kind,
                profile_id: profile.id,
                destination: to,
                amount: Money::parse(amount, unit).unwrap(),
                repeat_guard: None,
                request: None,
                batch_row: None,
            })
            .unwrap();
        ledger
            .transition(&reference, TxState::Sending, &StateChange::default())
            .unwrap();
        let done = StateChange {
            provider_ref: Some("-42".into()),
            provider_message: Some(message.into()),
            detail: None,
            basis: None,
        };
        ledger
            .transition(&reference, TxState::Succeeded, &done)
            .unwrap();
    }
    ledger
}

fn export(ledger: &Ledger, filter: &HistoryFilter, style: CsvStyle) -> Vec<u8> {
    let mut out = Vec::new();
    let rows = export_csv(ledger.store(), filter, &mut out, style, |_| true).unwrap();
    assert!(rows > 0);
    out
}

fn records(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn spreadsheet_mode_neutralises_formulas_and_keeps_numbers_and_amounts() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger(dir.path());
    let bytes = export(&ledger, &HistoryFilter::default(), CsvStyle::default());
    let rows = records(&bytes, b',');
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0].join(","),
        "reference,created_utc,created_local,kind,profile,provider,destination,amount,unit,\
         state,provider_reference,provider_message,updated_utc,counter"
    );
    let cuba = &rows[1];
    assert!(cuba[0].starts_with("SAL-"));
    assert!(
        cuba[1].ends_with('Z') && cuba[1].contains('T'),
        "{}",
        cuba[1]
    );
    assert_eq!(
        (cuba[6].as_str(), cuba[7].as_str(), cuba[8].as_str()),
        ("+53 52942387", "20.00", "USD")
    );
    assert_eq!(cuba[9], "succeeded");
    assert_eq!(
        cuba[10], "'-42",
        "a provider reference starting with - is neutralised"
    );
    let india = &rows[2];
    assert_eq!(india[6], "+91 9876543210");
    assert_eq!(india[7], "199.50");
    assert_eq!(india[11], "'=HYPERLINK(\"http://x\")");
    assert_eq!(
        (rows[3][6].as_str(), rows[3][7].as_str()),
        ("1001", "12.345")
    );
    assert_eq!(
        rows[3][11],
        "main account 2859.200 EUR, sub-account 71.800 EUR"
    );
}

#[test]
fn import_mode_is_raw_with_semicolons_and_a_bom_and_filters_pick_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger(dir.path());
    let style = CsvStyle {
        audience: CsvAudience::Import,
        delimiter: b';',
        bom: true,
    };
    let filter = HistoryFilter {
        profile: Some("india".into()),
        ..HistoryFilter::default()
    };
    let bytes = export(&ledger, &filter, style);
    assert!(bytes.starts_with("\u{feff}reference;created_utc;".as_bytes()));
    let rows = records(&bytes[3..], b';');
    assert_eq!(rows.len(), 2, "only the india profile");
    assert_eq!(rows[1][6], "+919876543210");
    assert_eq!(rows[1][11], "=HYPERLINK(\"http://x\")");
    assert_eq!(rows[1][10], "-42");
}

#[test]
fn the_command_writes_the_file_and_leaves_none_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    drop(ledger(dir.path()));
    let out = dir.path().join("history.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_saldo"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["export", "--to-number", "52942387", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        format!("exported 1 operation(s) to {}", out.display())
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 2);
    let nowhere = dir.path().join("missing-folder").join("x.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_saldo"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["export", "--out"])
        .arg(&nowhere)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("could not write the file"));
}

/// Cell types and texts as LibreOffice Calc reads a CSV file (converted to flat ODS).
fn calc_cells(csv: &std::path::Path) -> Vec<Vec<(String, String)>> {
    let dir = csv.parent().unwrap();
    let status = Command::new("soffice")
        .args(["--headless", "--convert-to", "fods", "--outdir"])
        .arg(dir)
        .arg(csv)
        .env("HOME", dir)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{status:?}");
    let fods = std::fs::read_to_string(csv.with_extension("fods")).unwrap();
    let mut rows = Vec::new();
    for row in fods.split("<table:table-row").skip(1) {
        let mut cells = Vec::new();
        for cell in row.split("<table:table-cell").skip(1) {
            let kind = cell
                .split("office:value-type=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or("")
                .to_string();
            let text: String = cell
                .split("<text:p>")
                .skip(1)
                .filter_map(|p| p.split("</text:p>").next())
                .collect();
            cells.push((kind, text.replace("&apos;", "'").replace("&quot;", "\"")));
        }
        rows.push(cells);
    }
    rows
}

#[test]
fn libreoffice_reads_numbers_as_text_amounts_as_numbers_and_runs_no_formula() {
    if std::env::var_os("SALDO_TEST_LIBREOFFICE").is_none() {
        eprintln!(
            "skipped: set SALDO_TEST_LIBREOFFICE=1 with LibreOffice installed (scripts/test.sh does)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger(dir.path());
    let path = dir.path().join("export.csv");
    std::fs::write(
        &path,
        export(
            &ledger,
            &HistoryFilter::default(),
            CsvStyle {
                bom: true,
                ..CsvStyle::default()
            },
        ),
    )
    .unwrap();
    let rows = calc_cells(&path);
    let cuba = &rows[1];
    assert_eq!(cuba[6], ("string".into(), "+53 52942387".into()));
    assert_eq!(cuba[7].0, "float");
    assert_eq!(cuba[7].1, "20");
    let india = &rows[2];
    assert_eq!(india[6], ("string".into(), "+91 9876543210".into()));
    assert_eq!(india[7], ("float".into(), "199.5".into()));
    assert_eq!(india[11].0, "string", "the formula is text, not run");
    assert!(india[11].1.contains("HYPERLINK"), "{:?}", india[11]);
    assert_eq!(rows[3][7], ("float".into(), "12.345".into()));
}

#[test]
fn a_cancelled_export_leaves_no_file_and_a_finished_one_reports_progress() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open_in(dir.path()).unwrap();
    let kind = ProviderKind::Qvatel;
    ledger
        .add_profile("cuba", kind, "http://127.0.0.1:1", &kind.default_settings())
        .unwrap();
    ledger.fill_demo_history(25_000, 3).unwrap();
    let style = CsvStyle {
        audience: CsvAudience::Spreadsheet,
        delimiter: b',',
        bom: false,
    };
    let out = dir.path().join("history.csv");
    // Cancelled at the first progress report (10,000 rows in): no file, no partial file.
    let mut reports = Vec::new();
    let cancelled = export_to_file(
        ledger.store(),
        &HistoryFilter::default(),
        &out,
        style,
        |rows| {
            reports.push(rows);
            false
        },
    )
    .unwrap();
    assert_eq!(cancelled, None);
    assert_eq!(reports, vec![10_000]);
    assert!(!out.exists());
    assert!(!out.with_extension("csv.partial").exists());
    // Not cancelled: every row, with a report every 10,000 rows and at the end.
    let mut reports = Vec::new();
    let written = export_to_file(
        ledger.store(),
        &HistoryFilter::default(),
        &out,
        style,
        |rows| {
            reports.push(rows);
            true
        },
    )
    .unwrap();
    assert_eq!(written, Some(25_000));
    assert_eq!(
        reports,
        vec![10_000, 20_000, 25_000],
        "and a last one at the end"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap().lines().count(),
        25_001
    );
}
