//! Receipts: every template, width and language against its snapshot and decoded back; the QR
//! code read back to our reference; a fake printer on 127.0.0.1 gets exactly the bytes; the
//! PDF as poppler draws it; numbers that survive a restart and a restore; no secret printed.

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use saldo::domain::clock::Clock;
use saldo::domain::{Money, Reference, TxState, Unit};
use saldo::ledger::{Ledger, NewOperation, ShopDetails, StateChange, TxKind};
use saldo::providers::ProviderKind;
use saldo::receipt::pdf::PdfPage;
use saldo::receipt::{self, PaperWidth, Receipt, ReceiptFormat, ReceiptLanguage};

use super::escpos_decoder::decode;
use super::{png, qr_codes_in, snapshot};

/// 2026-12-07 18:30 UTC (the suite runs with TZ=UTC).
const SOLD_AT: i64 = 1_796_668_200_000;
const CUBA_SALE: &str = "SAL-20261207-7K3M9QX2";
const INDIA_SALE: &str = "SAL-20261207-4PJD2M8A";
const FAILED_SALE: &str = "SAL-20261207-0F0F0F0F";

#[derive(Debug)]
struct Fixed(i64);

impl Clock for Fixed {
    fn now_ms(&self) -> i64 {
        self.0
    }
}

fn open(dir: &Path) -> Ledger {
    Ledger::open_in(dir)
        .unwrap()
        .with_counter("caja-1")
        .with_clock(Arc::new(Fixed(SOLD_AT)))
}

fn sell(
    ledger: &Ledger,
    profile: &str,
    reference: &str,
    number: &str,
    amount: Money,
    request: Option<&str>,
    end: (TxState, Option<&str>),
) {
    let profile_id = ledger.profile(profile).unwrap().id;
    let reference = Reference::from_text(reference);
    ledger
        .record_new(&NewOperation {
            reference: &reference,
            kind: TxKind::TopUp,
            profile_id,
            destination: number,
            amount,
            repeat_guard: None,
            request,
            batch_row: None,
        })
        .unwrap();
    ledger
        .transition(&reference, TxState::Sending, &StateChange::default())
        .unwrap();
    let change = StateChange {
        provider_ref: end.1.map(str::to_string),
        // What a careless provider might echo back: never on a receipt.
        provider_message: Some("ok token=sk_live_receipt_secret_42".into()),
        ..StateChange::default()
    };
    ledger.transition(&reference, end.0, &change).unwrap();
}

/// A shop with a Cuban sale that went through, an Indian one still being confirmed and a
/// Cuban one that failed.
fn shop(dir: &Path) -> Ledger {
    let ledger = open(dir);
    for (name, kind) in [
        ("cuba", ProviderKind::Qvatel),
        ("india", ProviderKind::Rechargekit),
    ] {
        ledger
            .add_profile(name, kind, "https://x.example", &kind.default_settings())
            .unwrap();
    }
    ledger
        .set_shop_details(&ShopDetails {
            name: "Recargas El Sol".into(),
            address: "Calle 23 #456\nVedado, La Habana".into(),
            mask_destinations: false,
            receipt_language: None,
        })
        .unwrap();
    sell(
        &ledger,
        "cuba",
        CUBA_SALE,
        "+5352942387",
        Money::from_minor(20_00, Unit::Usd),
        None,
        (TxState::Succeeded, Some("QV-778812")),
    );
    sell(
        &ledger,
        "india",
        INDIA_SALE,
        "+919679833706",
        Money::from_minor(199_00, Unit::Inr),
        Some(r#"{"operator":"1","circle":"5"}"#),
        (TxState::Unknown, None),
    );
    sell(
        &ledger,
        "cuba",
        FAILED_SALE,
        "+5352000000",
        Money::from_minor(20_00, Unit::Usd),
        None,
        (TxState::Failed, None),
    );
    ledger
}

fn issue(
    ledger: &Ledger,
    reference: &str,
    format: ReceiptFormat,
    language: Option<ReceiptLanguage>,
) -> Receipt {
    receipt::issue(ledger, &Reference::from_text(reference), format, language).unwrap()
}

/// The QR codes drawn in block characters in a text receipt, read back by a QR decoder.
fn qr_in_text(text: &str) -> Vec<String> {
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(['█', '▀', '▄']))
        .collect();
    let columns = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0) + 8;
    let scale = 4;
    let (width, height) = (columns * scale, (rows.len() * 2 + 8) * scale);
    let mut grey = vec![255_u8; width * height];
    for (row, line) in rows.iter().enumerate() {
        for (column, c) in line.chars().enumerate() {
            let (upper, lower) = match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                _ => (false, false),
            };
            for (half, dark) in [(0, upper), (1, lower)] {
                if !dark {
                    continue;
                }
                let (x0, y0) = ((column + 4) * scale, (row * 2 + half + 4) * scale);
                for y in y0..y0 + scale {
                    for x in x0..x0 + scale {
                        grey[y * width + x] = 0;
                    }
                }
            }
        }
    }
    qr_codes_in(width, height, &grey)
}

#[test]
fn text_receipts_match_their_snapshots_and_their_qr_code_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = shop(dir.path());
    let cases = [
        ("text-es-80.txt", CUBA_SALE, PaperWidth::Mm80, None),
        ("text-en-58.txt", INDIA_SALE, PaperWidth::Mm58, None),
        (
            "text-fa-80.txt",
            CUBA_SALE,
            PaperWidth::Mm80,
            Some(ReceiptLanguage::Persian),
        ),
    ];
    for (name, reference, width, language) in cases {
        let receipt = issue(&ledger, reference, ReceiptFormat::Text, language);
        let text = receipt::text::render(&receipt, width);
        snapshot(name, text.as_bytes());
        assert!(
            text.lines()
                .all(|l| saldo::receipt::text::shown_width(l) <= width.chars()),
            "{name} has a line wider than the paper:\n{text}"
        );
        assert_eq!(qr_in_text(&text), [reference.to_string()], "{name}");
    }
    // The Cuban receipt in Spanish, the Indian one in English with its operator and circle by
    // name, still being confirmed.
    let spanish = std::fs::read_to_string(super::snapshots().join("text-es-80.txt")).unwrap();
    for expected in [
        "Recargas El Sol",
        "Recibo",
        "1",
        "Recarga móvil",
        "+5352942387",
        "20,00 USD",
        "QV-778812",
        "Realizada",
    ] {
        assert!(spanish.contains(expected), "{expected} missing:\n{spanish}");
    }
    let english = std::fs::read_to_string(super::snapshots().join("text-en-58.txt")).unwrap();
    for expected in [
        "Airtel",
        "BEING CONFIRMED: do not pay",
        "do not send again",
        "199.00 INR",
        "Being confirmed",
    ] {
        assert!(english.contains(expected), "{expected} missing:\n{english}");
    }
    // The second print of the Cuban sale is a reprint, in Persian with the Jalali date.
    let persian = std::fs::read_to_string(super::snapshots().join("text-fa-80.txt")).unwrap();
    for expected in ["چاپ مجدد ۱", "رسید", "۱۴۰۵/۰۹/۱۶", "۲۰٫۰۰ USD"] {
        assert!(persian.contains(expected), "{expected} missing:\n{persian}");
    }
}

#[test]
fn escpos_receipts_match_their_byte_snapshots_and_decode_to_what_the_customer_reads() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = shop(dir.path());
    let cases = [
        ("escpos-es-58", CUBA_SALE, PaperWidth::Mm58, None),
        ("escpos-es-80", CUBA_SALE, PaperWidth::Mm80, None),
        ("escpos-en-58", INDIA_SALE, PaperWidth::Mm58, None),
        (
            "escpos-fa-80",
            INDIA_SALE,
            PaperWidth::Mm80,
            Some(ReceiptLanguage::Persian),
        ),
    ];
    for (name, reference, width, language) in cases {
        let receipt = issue(&ledger, reference, ReceiptFormat::Escpos, language);
        let bytes = receipt::escpos::render(&receipt, width).unwrap();
        snapshot(&format!("{name}.bin"), &bytes);
        let printout = decode(&bytes);
        snapshot(&format!("{name}.txt"), printout.transcript().as_bytes());
        assert!(printout.cut, "{name}: the paper is cut at the end");
        assert_eq!(printout.qr_codes, [reference.to_string()], "{name}");
        for line in &printout.lines {
            let plain = line
                .replace("<b>", "")
                .replace("</b>", "")
                .replace("<big>", "")
                .replace("</big>", "");
            assert!(
                plain.starts_with('[') || plain.chars().count() <= width.chars(),
                "{name}: “{plain}” is wider than {} characters",
                width.chars()
            );
        }
        if let Some(image) = printout.stacked_images() {
            assert_eq!(
                image.width,
                width.dots(),
                "{name}: the image spans the paper"
            );
            snapshot(
                &format!("{name}.png"),
                &png(image.width, image.height, image.grey()),
            );
        }
    }
    let spanish = decode(
        &receipt::escpos::render(
            &issue(&ledger, CUBA_SALE, ReceiptFormat::Escpos, None),
            PaperWidth::Mm58,
        )
        .unwrap(),
    );
    assert_eq!(
        spanish.code_page,
        Some(19),
        "code page 858 for Spanish letters"
    );
    assert!(
        spanish
            .lines
            .iter()
            .any(|l| l == "<big>        Recargas El Sol</big>"),
        "{:#?}",
        spanish.lines
    );
    assert!(
        spanish
            .lines
            .iter()
            .any(|l| l.starts_with("Venta") && l.ends_with("Recarga móvil")),
        "{:#?}",
        spanish.lines
    );
    assert!(
        spanish
            .lines
            .iter()
            .any(|l| l == "<b>         REIMPRESIÓN 2</b>"),
        "{:#?}",
        spanish.lines
    );
    assert!(
        spanish.images.is_empty(),
        "a Spanish receipt is printed as text"
    );
    // The Persian receipt is dots, all of it but the QR code; and it is inked.
    let persian = decode(&std::fs::read(super::snapshots().join("escpos-fa-80.bin")).unwrap());
    assert!(
        persian
            .lines
            .iter()
            .all(|l| l.is_empty() || l.starts_with('[')),
        "{:#?}",
        persian.lines
    );
    let image = persian.stacked_images().unwrap();
    let inked = image.dots.iter().filter(|d| **d).count();
    assert!(inked > 5_000, "only {inked} dots printed");
}

#[test]
fn a_fake_printer_on_127_0_0_1_receives_exactly_the_receipts_bytes() {
    let dir = tempfile::tempdir().unwrap();
    drop(shop(dir.path()));
    let printer = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = printer.local_addr().unwrap().to_string();
    let received = std::thread::spawn(move || {
        let (mut connection, _) = printer.accept().unwrap();
        let mut bytes = Vec::new();
        connection.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let run = Command::new(env!("CARGO_BIN_EXE_saldo"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "--terminal",
            "caja-1",
            "receipt",
            CUBA_SALE,
            "--format",
            "escpos",
            "--width",
            "58",
            "--tcp",
            &address,
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        format!("receipt 1 of counter caja-1 for {CUBA_SALE} to {address}")
    );
    let bytes = received.join().unwrap();
    // The very bytes of the original receipt, as this test lays it out itself.
    let ledger = open(dir.path());
    let prints = ledger
        .receipt_prints(&Reference::from_text(CUBA_SALE))
        .unwrap();
    assert_eq!(
        (prints.len(), prints[0].copy, prints[0].format.as_str()),
        (1, 0, "escpos")
    );
    let record = ledger
        .transaction(&Reference::from_text(CUBA_SALE))
        .unwrap();
    let expected = receipt::assemble(
        &record,
        &ledger.shop_details().unwrap(),
        Some(ProviderKind::Qvatel),
        ReceiptLanguage::Spanish,
        1,
        0,
        "caja-1",
    );
    assert_eq!(
        bytes,
        receipt::escpos::render(&expected, PaperWidth::Mm58).unwrap()
    );
    let printout = decode(&bytes);
    assert_eq!(printout.qr_codes, [CUBA_SALE]);
    assert!(
        !printout.lines.iter().any(|l| l.contains("REIMPRESIÓN")),
        "the first print is no reprint"
    );

    // No printer listening: the clerk is told, and the print stays recorded.
    let run = Command::new(env!("CARGO_BIN_EXE_saldo"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "--terminal",
            "caja-1",
            "receipt",
            CUBA_SALE,
            "--format",
            "escpos",
            "--tcp",
            &address,
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(4));
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains("could not print on") && said.contains("REPRINT 2"),
        "{said}"
    );
}

#[test]
fn a_failed_sale_has_no_receipt_and_the_clerk_is_told_why() {
    let dir = tempfile::tempdir().unwrap();
    drop(shop(dir.path()));
    let run = Command::new(env!("CARGO_BIN_EXE_saldo"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["receipt", FAILED_SALE])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains("did not go through") && said.contains("do not charge"),
        "{said}"
    );
}

#[test]
fn the_pdf_as_poppler_draws_it_carries_the_receipt_and_a_qr_code_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = shop(dir.path());
    for (name, reference, page, language, words) in [
        (
            "pdf-es-80",
            CUBA_SALE,
            PdfPage::Roll(PaperWidth::Mm80),
            None,
            vec!["Recargas El Sol", "Recarga móvil", "20,00 USD", "QV-778812"],
        ),
        (
            "pdf-en-a4",
            INDIA_SALE,
            PdfPage::A4,
            None,
            vec!["BEING CONFIRMED", "Airtel", "199.00 INR"],
        ),
        (
            "pdf-fa-58",
            CUBA_SALE,
            PdfPage::Roll(PaperWidth::Mm58),
            Some(ReceiptLanguage::Persian),
            vec!["رسید", "USD"],
        ),
    ] {
        let receipt = issue(&ledger, reference, ReceiptFormat::Pdf, language);
        let bytes = receipt::pdf::render(&receipt, page).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{name}");
        let file = dir.path().join(format!("{name}.pdf"));
        std::fs::write(&file, &bytes).unwrap();
        let stem = dir.path().join(name);
        let drawn = Command::new("pdftoppm")
            .args(["-r", "203", "-gray", "-png", "-singlefile"])
            .arg(&file)
            .arg(&stem)
            .output()
            .unwrap();
        assert!(
            drawn.status.success(),
            "pdftoppm: {}",
            String::from_utf8_lossy(&drawn.stderr)
        );
        let page_png = std::fs::read(stem.with_extension("png")).unwrap();
        let image = image::load_from_memory(&page_png).unwrap().to_luma8();
        let (w, h) = image.dimensions();
        assert_eq!(
            qr_codes_in(w as usize, h as usize, image.as_raw()),
            [reference.to_string()],
            "{name}"
        );
        // Kept for a person to look at (and for the CI artefacts).
        let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.png"));
        std::fs::write(&keep, &page_png).unwrap();
        let text = Command::new("pdftotext")
            .arg(&file)
            .arg("-")
            .output()
            .unwrap();
        assert!(
            text.status.success(),
            "pdftotext: {}",
            String::from_utf8_lossy(&text.stderr)
        );
        let text = String::from_utf8(text.stdout).unwrap();
        for word in words.iter().chain([&reference]) {
            assert!(
                text.contains(word),
                "{name}: “{word}” not in the PDF's text:\n{text}"
            );
        }
    }
}

#[test]
fn receipt_numbers_survive_a_restart_and_a_restore_and_no_number_is_given_twice() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = shop(dir.path());
    assert_eq!(
        issue(&ledger, CUBA_SALE, ReceiptFormat::Text, None).number,
        1
    );
    let backup = dir.path().join("backup.sqlite3");
    ledger.backup_to(&backup).unwrap();
    assert_eq!(
        issue(&ledger, INDIA_SALE, ReceiptFormat::Text, None).number,
        2
    );
    drop(ledger);

    // A restart: the next receipt goes on from where the counter stopped.
    let ledger = open(dir.path());
    let third = Reference::from_text("SAL-20261207-3333AAAA");
    let fifteen = Money::from_minor(15_00, Unit::Usd);
    let done = (TxState::Succeeded, None);
    sell(
        &ledger,
        "cuba",
        third.as_str(),
        "+5352111111",
        fifteen,
        None,
        done,
    );

    // A restore of the backup made before receipt 2: receipt 2 stays, and the next one is 3.
    ledger.restore_from(&backup).unwrap();
    assert_eq!(
        issue(&ledger, third.as_str(), ReceiptFormat::Text, None).number,
        3
    );
    let india = issue(&ledger, INDIA_SALE, ReceiptFormat::Text, None);
    assert_eq!(
        (india.number, india.copy),
        (2, 1),
        "a reprint keeps its number"
    );

    // A second counter on the same ledger numbers its own receipts from 1.
    drop(ledger);
    let other = Ledger::open_in(dir.path()).unwrap().with_counter("caja-2");
    let fourth = Reference::from_text("SAL-20261207-4444BBBB");
    sell(
        &other,
        "cuba",
        fourth.as_str(),
        "+5352222222",
        fifteen,
        None,
        done,
    );
    let theirs = issue(&other, fourth.as_str(), ReceiptFormat::Text, None);
    assert_eq!((theirs.counter.as_str(), theirs.number), ("caja-2", 1));
}

#[test]
fn no_receipt_in_any_form_carries_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = shop(dir.path());
    for reference in [CUBA_SALE, INDIA_SALE] {
        for language in ReceiptLanguage::ALL {
            let receipt = issue(&ledger, reference, ReceiptFormat::Text, Some(language));
            let text = receipt::text::render(&receipt, PaperWidth::Mm80);
            let escpos = receipt::escpos::render(&receipt, PaperWidth::Mm80).unwrap();
            let pdf = receipt::pdf::render(&receipt, PdfPage::A4).unwrap();
            let file = dir.path().join("scan.pdf");
            std::fs::write(&file, &pdf).unwrap();
            let pdf_text = Command::new("pdftotext")
                .arg(&file)
                .arg("-")
                .output()
                .unwrap()
                .stdout;
            for output in [text.as_bytes(), &escpos, &pdf, &pdf_text] {
                let seen = String::from_utf8_lossy(output);
                assert!(
                    !seen.contains("sk_live_receipt_secret_42"),
                    "a secret on a receipt"
                );
                assert!(
                    !seen.contains("token="),
                    "the provider's message on a receipt"
                );
            }
        }
    }
}

/// A stand-in for CUPS's `lp` on PATH: it keeps its arguments and the bytes it was handed, and
/// refuses a printer named "missing" as `lp` does.
fn fake_lp(dir: &Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let lp = bin.join("lp");
    std::fs::write(
        &lp,
        "#!/bin/sh\n\
         echo \"$@\" > \"$FAKE_LP_ARGS\"\n\
         cat > \"$FAKE_LP_BYTES\"\n\
         if [ \"$2\" = missing ]; then echo 'lp: The printer or class does not exist.' >&2; exit 1; fi\n",
    )
    .unwrap();
    std::fs::set_permissions(&lp, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

#[test]
fn the_system_spooler_gets_the_raw_bytes_for_the_printer_named() {
    let dir = tempfile::tempdir().unwrap();
    drop(shop(dir.path()));
    let bin = fake_lp(dir.path());
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let (args, bytes) = (dir.path().join("lp-args"), dir.path().join("lp-bytes"));
    let run = |printer: &str| {
        Command::new(env!("CARGO_BIN_EXE_saldo"))
            .arg("--data-dir")
            .arg(dir.path())
            .args([
                "receipt",
                CUBA_SALE,
                "--format",
                "escpos",
                "--printer",
                printer,
            ])
            .env("PATH", &path)
            .env("FAKE_LP_ARGS", &args)
            .env("FAKE_LP_BYTES", &bytes)
            .output()
            .unwrap()
    };
    let printed = run("caja-termica");
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&args).unwrap().trim(),
        "-d caja-termica -s -o raw"
    );
    let printout = decode(&std::fs::read(&bytes).unwrap());
    assert_eq!(printout.qr_codes, [CUBA_SALE]);
    assert!(printout.cut);

    let refused = run("missing");
    assert_eq!(refused.status.code(), Some(4));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("refused the receipt for printer “missing”")
            && said.contains("does not exist")
            && said.contains("lpstat -p"),
        "{said}"
    );
}
