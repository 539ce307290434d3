//! The window in Spanish: chosen in Settings, every panel's words change, input errors and the
//! provider's refusal read in Spanish. Its own test binary, because the language is the whole
//! window's (and so the whole process's) setting.

#[path = "gui/support.rs"]
#[allow(dead_code)]
mod support;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use saldo::simulator::{Fault, FaultRule, qvatel};
use saldo::ui::text::i18n::{Language, language};
use support::*;

/// The language is the process's: these tests take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn a_new_shop_picks_spanish_on_the_welcome_and_reads_where_things_are_kept() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let opened = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut harness = real_app(dir.path(), opened);
    wait_for(&mut harness, "Welcome to saldo");
    harness
        .get_by_role_and_label(Role::ComboBox, "Language")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Español").click();
    harness.run_steps(3);
    assert_eq!(language(), Language::Spanish);
    for text in [
        "Bienvenido a saldo",
        "Dónde se guarda cada cosa",
        "solo en el llavero de este equipo, nunca en un archivo",
        "Añadir su primer proveedor",
        "Probar la demostración",
    ] {
        assert!(shows(&harness, text), "the welcome lacks {text:?}");
    }
    let ledger = dir.path().join(saldo::ledger::FILE_NAME);
    assert!(shows(&harness, &ledger.display().to_string()));
    // The choice is the shop's from now on: Settings opens in Spanish too.
    harness
        .get_by_role_and_label(Role::Button, "Añadir su primer proveedor")
        .click();
    harness.run_steps(2);
    assert!(shows(&harness, "Nuevo perfil"));
    saldo::ui::text::i18n::set_language(Language::English);
}

#[test]
fn a_shop_switches_to_spanish_and_every_panel_speaks_it() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    open_panel(&mut harness, "Settings");
    harness
        .get_by_role_and_label(Role::ComboBox, "Language")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Español").click();
    harness.run_steps(2);
    assert_eq!(language(), Language::Spanish);
    harness.run_steps(2);
    for title in [
        "Mostrador",
        "Saldos",
        "Subcuentas",
        "Historial",
        "Por revisar",
        "Configuración",
    ] {
        assert!(
            harness
                .query_by_role_and_label(Role::Button, title)
                .is_some(),
            "the side bar lacks {title}"
        );
    }
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Counter")
            .is_none()
    );

    open_panel(&mut harness, "Mostrador");
    wait_for(&mut harness, "15,00 USD");
    type_into(&mut harness, "Número del cliente", "5294238");
    assert!(shows(
        &harness,
        "Los números móviles de Cuba tienen 8 dígitos; este tiene 7."
    ));

    // A refusal from the provider: the frame is Spanish, the provider's own words stay.
    let sim = harness.state().services().simulator.as_ref().unwrap();
    sim.inject(FaultRule::once(
        "/recharge/send",
        Fault::Body {
            body: qvatel::examples::SEND_FAILED.to_string(),
        },
    ));
    // One more digit makes it a valid number.
    type_into(&mut harness, "Número del cliente", "7");
    harness.get_by_label("15,00 USD").click();
    harness.run_steps(2);
    click(&mut harness, "Revisar");
    wait_for_enabled_button(&mut harness, "Enviar recarga");
    click(&mut harness, "Enviar recarga");
    wait_for(&mut harness, "Recarga fallida");
    assert!(shows(&harness, "Descripción del error"));
}

/// Why an operation waits for a person is kept as data: the reconciler flags a transfer it
/// cannot ask about, and Review and History's details say why in Spanish, with the amount as
/// Spanish writes it; the command line's words stay English.
#[test]
fn a_review_reason_the_reconciler_wrote_reads_in_spanish() {
    use saldo::domain::ReviewReason;
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    let reference = interrupted_transfer(&mut harness);
    let services = harness.state().services();
    let ledger = services.engine.ledger().clone();
    let row = ledger.transaction(&reference).unwrap();
    let reason = row.review_reason.clone().expect("a person must look");
    assert_eq!(
        reason,
        ReviewReason::TransferCannotBeAsked {
            profile: "demo-mexico".into(),
            child: "mx-child-01".into(),
        }
    );
    assert!(
        reason
            .to_string()
            .contains("cannot be asked about an earlier transfer")
    );

    saldo::ui::text::i18n::set_language(Language::Spanish);
    harness.run_steps(2);
    open_in_review(&mut harness, "Por revisar", reference.as_str());
    let spanish = "a demo-mexico no se le puede preguntar por una transferencia anterior: \
                   revise los puntos de la cuenta hija mx-child-01 en el portal del proveedor";
    wait_for(&mut harness, spanish);
    // The event log's notes are saldo's words too: in Spanish, none in English.
    let stopped = "saldo se detuvo mientras la enviaba, antes de registrar el resultado";
    wait_for(&mut harness, stopped);
    wait_for(
        &mut harness,
        "Requiere revisión: a demo-mexico no se le puede preguntar",
    );
    assert!(
        !shows(&harness, "saldo stopped"),
        "an English note in Review"
    );
    open_panel(&mut harness, "Historial");
    wait_for(&mut harness, "mx-child-01");
    // The totals come in after the first rows and move them down: click once they are in.
    run_until(&mut harness, "the totals", |h| {
        shows(h, "Recargas con éxito")
    });
    harness
        .query_all_by_label_contains("mx-child-01")
        .next()
        .unwrap()
        .click();
    harness.run_steps(3);
    wait_for(&mut harness, spanish);
    assert!(
        shows(&harness, "12.500 PTS"),
        "the amount as Spanish writes it"
    );
    wait_for(&mut harness, stopped);
    assert!(
        !shows(&harness, "saldo stopped"),
        "an English note in History"
    );
    saldo::ui::text::i18n::set_language(Language::English);
}

/// A transfer an interrupted saldo left while sending (nobody holds its claim), gone through
/// the reconciler, which flags it: it cannot be asked about.
fn interrupted_transfer(harness: &mut App) -> saldo::domain::Reference {
    use saldo::domain::{Money, Reference, TxState, Unit};
    use saldo::ledger::{NewOperation, StateChange, TxKind};
    wait_for(harness, "15.00 USD");
    let services = harness.state().services();
    let ledger = services.engine.ledger().clone();
    let profile = ledger.profile("demo-mexico").unwrap();
    let reference = Reference::generate();
    ledger
        .record_new(&NewOperation {
            reference: &reference,
            kind: TxKind::Transfer,
            profile_id: profile.id,
            destination: "mx-child-01",
            amount: Money::parse("12500", Unit::Points).unwrap(),
            repeat_guard: None,
            request: None,
            batch_row: None,
        })
        .unwrap();
    ledger
        .transition(&reference, TxState::Sending, &StateChange::default())
        .unwrap();
    services
        .runtime
        .block_on(services.engine.reconcile(None))
        .unwrap();
    reference
}

/// Opens Review (its side-bar title in the window's language) on the operation `reference`.
fn open_in_review(harness: &mut App, review: &str, reference: &str) {
    open_panel(harness, review);
    wait_for(harness, reference);
    harness
        .query_all_by_label_contains(reference)
        .next()
        .unwrap()
        .click();
    harness.run_steps(2);
}

/// What a panel said before the language changed reads in the new language: Review's
/// outcome of a settlement, made in English, is Spanish once Spanish is chosen.
#[test]
fn a_message_shown_before_a_language_switch_follows_it() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    let reference = interrupted_transfer(&mut harness);
    open_in_review(&mut harness, "Needs review", reference.as_str());
    type_into(&mut harness, "Note", "the portal shows no transfer");
    click(&mut harness, "Settle as failed");
    wait_for_enabled_button(&mut harness, "Record it");
    click(&mut harness, "Record it");
    wait_for(&mut harness, &format!("{reference} is now failed."));
    saldo::ui::text::i18n::set_language(Language::Spanish);
    harness.run_steps(2);
    let spanish = format!("{reference} figura ahora como fallida.");
    wait_for(&mut harness, &spanish);
    assert!(
        !shows(&harness, "is now failed"),
        "the message stayed in English"
    );
    saldo::ui::text::i18n::set_language(Language::English);
}

fn eur(minor: i64) -> saldo::domain::Money {
    saldo::domain::Money::from_minor(minor, saldo::domain::Unit::Eur)
}

/// Sub-account 1002's balance arithmetic: 10.000 EUR before, `later_minor` later, and a move
/// of 2.000 EUR.
fn arithmetic_to(later_minor: i64) -> saldo::domain::BalanceArithmetic {
    saldo::domain::BalanceArithmetic {
        sub_account: "1002".into(),
        before: eur(10_000),
        before_at: 1_700_000_000_000,
        later: eur(later_minor),
        later_at: 1_700_000_600_000,
        others: eur(0),
        effect: eur(2_000),
    }
}

/// Every kind of review reason has its words in both languages (a missing message would show
/// its id), with every argument filled in.
#[test]
fn every_review_reason_reads_in_both_languages() {
    use saldo::domain::{ReviewReason::*, TxState};
    use saldo::ui::text::review_reasons::review_reason_text;
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let arithmetic = arithmetic_to(9_000);
    let (to, amount, at) = ("+5352942387".to_string(), eur(1_500), 1_700_000_000_000);
    let other = || "SAL-20261122-0000001".to_string();
    let reasons = [
        ProfileUnreadable,
        TransferCannotBeAsked {
            profile: "demo-mexico".into(),
            child: "mx-child-01".into(),
        },
        CannotSendAgain,
        NumberUnreadable { error: "x".into() },
        RequestUnreadable { error: "x".into() },
        RequestNotKept {
            destination: to.clone(),
            amount,
            at,
        },
        CannotAskTopUp,
        ProviderIdLost {
            destination: to.clone(),
            amount,
            at,
        },
        NoAnswer { checks: 9 },
        NoRecord {
            destination: to,
            amount,
            at,
        },
        NoLongerKnown,
        AmountDiffers {
            found: eur(2_000),
            recorded: amount,
        },
        PendingTooLong {
            said: Some("en proceso".into()),
        },
        PendingTooLong { said: None },
        LateContradiction {
            reported: TxState::Succeeded,
            recorded: TxState::Failed,
        },
        NoBalanceBefore,
        SubAccountsUnreadable,
        SubAccountGone {
            sub_account: "1002".into(),
        },
        Overlapped { other: other() },
        AlsoUnknown { other: other() },
        OtherUnsettled { other: other() },
        BalanceMoved {
            moved: eur(-1_000),
            arithmetic: arithmetic.clone(),
        },
        ReadingsDisagree {
            first: TxState::Failed,
            now: TxState::Succeeded,
            arithmetic,
        },
    ];
    for language in Language::ALL {
        saldo::ui::text::i18n::set_language(language);
        for reason in &reasons {
            let text = review_reason_text(reason);
            assert!(!text.starts_with("reason-"), "{language:?}: {text}");
            assert!(!text.contains('{'), "{language:?}: {text}");
        }
    }
    saldo::ui::text::i18n::set_language(Language::Spanish);
    let no_record = review_reason_text(&reasons[9]);
    assert!(
        no_record.contains("+5352942387 1,500 EUR") && no_record.contains("no significa"),
        "{no_record}"
    );
    let moved = review_reason_text(&reasons[21]);
    assert!(
        moved.contains("-1,000 EUR") && moved.contains("subcuenta 1002"),
        "{moved}"
    );
    saldo::ui::text::i18n::set_language(Language::English);
}

/// Every note saldo writes in an event log or as a message has its words in both languages,
/// every argument filled in, and Spanish that is not the English.
#[test]
fn every_note_reads_in_both_languages() {
    use saldo::domain::Note::{self, *};
    use saldo::domain::{ReviewReason, TxState};
    use saldo::ui::text::notes::note_text;
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let arithmetic = arithmetic_to(12_000);
    let (state, note) = (TxState::Succeeded, "the customer showed it".to_string());
    let notes = [
        NotSent {
            reason: "connection refused".into(),
        },
        MaybeSent {
            reason: "timed out".into(),
        },
        CredentialsRefused {
            message: "bad token".into(),
        },
        RateLimited {
            retry_after_s: Some(3),
        },
        RateLimited {
            retry_after_s: None,
        },
        Unreadable {
            reason: "not JSON".into(),
        },
        StoppedBeforeSending,
        NeverSent,
        StoppedWhileSending,
        StatusCheck,
        StatusSaid {
            said: "Procesado".into(),
        },
        SendingAgain,
        SentAgain,
        BalancesAgree {
            state,
            arithmetic: arithmetic.clone(),
            apart_s: 60,
        },
        BalanceConclusion {
            state,
            arithmetic: arithmetic.clone(),
        },
        FirstBalanceReading { state, arithmetic },
        Flagged {
            reason: ReviewReason::NoBalanceBefore,
        },
        LateOutcome {
            reported: TxState::Succeeded,
            recorded: TxState::Failed,
            message: Some(Note::NeverSent.to_stored()),
        },
        NeverSentByHand,
        SettledByHand {
            state,
            note: note.clone(),
        },
        ByHand { note: note.clone() },
        KeptByHand {
            state,
            note: note.clone(),
        },
        CorrectedByHand { state, note },
        BalancesAfter {
            main: eur(2_859_200),
            sub_account: eur(71_800),
        },
        DoneWithoutBalances,
    ];
    // A new kind of note fails to compile here until it is in the list above.
    for listed in &notes {
        match listed {
            NotSent { .. }
            | MaybeSent { .. }
            | CredentialsRefused { .. }
            | RateLimited { .. }
            | Unreadable { .. }
            | StoppedBeforeSending
            | NeverSent
            | StoppedWhileSending
            | StatusCheck
            | StatusSaid { .. }
            | SendingAgain
            | SentAgain
            | BalancesAgree { .. }
            | BalanceConclusion { .. }
            | FirstBalanceReading { .. }
            | Flagged { .. }
            | LateOutcome { .. }
            | NeverSentByHand
            | SettledByHand { .. }
            | ByHand { .. }
            | KeptByHand { .. }
            | CorrectedByHand { .. }
            | BalancesAfter { .. }
            | DoneWithoutBalances => {}
        }
    }
    let words = |language| {
        saldo::ui::text::i18n::set_language(language);
        notes.iter().map(note_text).collect::<Vec<_>>()
    };
    let (english, spanish) = (words(Language::English), words(Language::Spanish));
    saldo::ui::text::i18n::set_language(Language::English);
    for ((note, en), es) in notes.iter().zip(&english).zip(&spanish) {
        for text in [en, es] {
            assert!(
                !text.contains("note-") && !text.contains("error-"),
                "{text}"
            );
            assert!(!text.contains('{') && !text.contains('}'), "{text}");
        }
        assert_ne!(en, es, "{note:?} has no Spanish words");
    }
    assert!(spanish[17].contains("Nunca se envió"), "{}", spanish[17]);
    // Spanish groups thousands from five digits on.
    assert!(spanish[23].contains("2859,200 EUR"), "{}", spanish[23]);
}

/// An error the background sent is worded when it is drawn: the same error reads in Spanish
/// once Spanish is chosen, with the technical reason kept as it came.
#[test]
fn an_error_the_background_sent_follows_a_language_switch() {
    use saldo::ledger::LedgerError;
    use saldo::ui::text::error_text::ledger_error_text;
    use saldo::ui::text::words::Words;
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    saldo::ui::text::i18n::set_language(Language::English);
    let error = Words::error(
        LedgerError::Read("disk I/O error".into()),
        ledger_error_text,
    );
    let english = error.text();
    saldo::ui::text::i18n::set_language(Language::Spanish);
    let spanish = error.text();
    saldo::ui::text::i18n::set_language(Language::English);
    assert_ne!(english, spanish, "the error stayed in English");
    assert!(spanish.contains("disk I/O error"), "{spanish}");
}
