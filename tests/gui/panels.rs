//! Panels driven alone: each `*_ui` with its own state and a recorder of the commands it
//! emits, answered by hand — no simulator, no ledger, a few frames each.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use saldo::domain::{Money, Reference, TxState, Unit};
use saldo::ledger::{EventRecord, HistorySummary, TxKind, TxRecord, UnitTotal};
use saldo::ui::backend::{BackupFile, Command, RestoreChoice};
use saldo::ui::panels::PanelContext;
use saldo::ui::panels::history::{HistoryPanel, history_ui};
use saldo::ui::panels::settings::data_section::{DataSection, data_section_ui};
use saldo::ui::prefs::Prefs;
use saldo::ui::shop::Shop;
use saldo::ui::text::i18n::{Language, set_language};
use saldo::ui::theme::ThemeChoice;

/// A panel's state and the commands it emitted so far.
struct Recorded<S> {
    state: S,
    commands: Vec<Command>,
    /// saldo's fonts (icons, Persian) are installed: they are used from the frame after.
    themed: bool,
}

impl<S> Recorded<S> {
    fn new(state: S) -> Self {
        Recorded {
            state,
            commands: Vec::new(),
            themed: false,
        }
    }

    /// Installs saldo's theme on the first frame, which draws nothing else.
    fn themed(&mut self, ui: &egui::Ui) -> bool {
        if !self.themed {
            saldo::ui::theme::install(ui.ctx(), ThemeChoice::default());
            self.themed = true;
            ui.ctx().request_repaint();
            return false;
        }
        true
    }
}

/// The context a panel is drawn with: an empty shop, the data folder of a shop's server, and
/// `run` recording the commands.
fn context<'a>(
    shop: &'a mut Shop,
    prefs: &'a mut Prefs,
    run: &'a mut dyn FnMut(Command),
) -> PanelContext<'a> {
    PanelContext {
        shop,
        prefs,
        now_ms: 1_764_752_400_000,
        data_dir: Path::new("/srv/shop/saldo"),
        demo: false,
        selling: false,
        run,
    }
}

fn record(number: i64, kind: TxKind, destination: &str, minor: i64, state: TxState) -> TxRecord {
    TxRecord {
        id: number,
        reference: Reference::from_text(&format!("SAL-TEST-{number}")),
        kind,
        profile_id: 1,
        profile_name: "demo-cuba".into(),
        destination: destination.into(),
        amount: Money::from_minor(minor, Unit::Usd),
        state,
        provider_ref: Some(format!("QV-{number}")),
        provider_message: Some(
            "A very long answer from the provider that does not fit in its column at all".into(),
        ),
        created_at: 1_764_590_400_000 - number * 60_000,
        updated_at: 1_764_590_400_000,
        basis: None,
        request: None,
        first_reading: None,
        next_check_at: None,
        checks: 0,
        review_reason: None,
        counter: None,
    }
}

#[test]
fn history_rows_open_their_details_and_totals_keep_credit_given_and_taken_back_apart() {
    set_language(Language::English);
    let (mut shop, mut prefs) = (Shop::default(), Prefs::default());
    let mut harness = Harness::builder().with_size([800.0, 600.0]).build_ui_state(
        move |ui, recorded: &mut Recorded<HistoryPanel>| {
            if !recorded.themed(ui) {
                return;
            }
            let commands = &mut recorded.commands;
            let mut run = |c| commands.push(c);
            let cx = &mut context(&mut shop, &mut prefs, &mut run);
            history_ui(ui, &mut recorded.state, cx);
        },
        Recorded::new(HistoryPanel::default()),
    );
    harness.run_steps(2);
    // The first frame asks for the summary and the first page: answered here.
    let commands = std::mem::take(&mut harness.state_mut().commands);
    let (summary_generation, page) = commands.iter().fold((None, None), |found, c| match c {
        Command::HistorySummary { generation, .. } => (Some(*generation), found.1),
        Command::HistoryPage {
            generation, page, ..
        } => (found.0, Some((*generation, *page))),
        _ => found,
    });
    let rows = vec![
        record(1, TxKind::TopUp, "+5352942390", 2_000, TxState::Succeeded),
        record(2, TxKind::CreditAdd, "1002", 500, TxState::Succeeded),
        record(3, TxKind::CreditRemove, "1002", 200, TxState::Succeeded),
        record(4, TxKind::TopUp, "+5352942391", 1_500, TxState::Unknown),
    ];
    let total = |kind, count, sum_minor| UnitTotal {
        kind,
        unit: Unit::Usd,
        count,
        sum_minor,
    };
    let summary = HistorySummary {
        count: 4,
        by_state: vec![(TxState::Succeeded, 3), (TxState::Unknown, 1)],
        succeeded: vec![
            total(TxKind::TopUp, 1, 2_000),
            total(TxKind::CreditAdd, 1, 500),
            total(TxKind::CreditRemove, 1, 200),
        ],
        daily_sales: Vec::new(),
    };
    let panel = &mut harness.state_mut().state;
    panel.pages.summary_loaded(
        summary_generation.expect("asks for the totals"),
        Ok(summary),
    );
    let (generation, page) = page.expect("asks for the first page");
    panel.pages.page_loaded(generation, page, Ok(rows));
    harness.run_steps(3);

    // At 800×600 the totals are folded under "Totals (3)" until opened.
    assert!(!shows(&harness, "Top-ups succeeded"));
    harness.get_by_label("Totals (3)").click();
    harness.run_steps(2);
    assert!(shows(&harness, "Top-ups succeeded: 1, 20.00 USD"));
    assert!(shows(&harness, "Credit given to sub-accounts: 1, 5.00 USD"));
    assert!(
        shows(&harness, "Credit taken back from sub-accounts: 1, 2.00 USD"),
        "taken back is its own line, not added to credit given"
    );
    // The key columns' titles are drawn inside the 800 px window.
    for title in ["Time", "Number or sub-account", "Amount", "State"] {
        assert!(
            harness
                .query_all_by_label(title)
                .any(|node| node.rect().right() <= 800.0 && node.rect().left() >= 0.0),
            "{title}"
        );
    }

    harness.get_by_label("+5352942391").click();
    harness.run_steps(2);
    let asked = emitted(&harness, |c| match c {
        Command::LoadEvents { reference } => Some(reference.to_string()),
        _ => None,
    });
    assert_eq!(asked, ["SAL-TEST-4"], "one click asks once for its events");
    assert!(shows(&harness, "Details: top-up to +5352942391"));
    let reference = Reference::from_text("SAL-TEST-4");
    harness.state_mut().state.events_loaded(
        &reference,
        Ok(vec![EventRecord {
            at: 1_764_590_000_000,
            from_state: Some(TxState::Sending),
            to_state: TxState::Unknown,
            detail: Some("no answer within 20 s".into()),
            counter: Some("front".into()),
        }]),
    );
    harness.run_steps(2);
    assert!(shows(&harness, "What happened"));
    assert!(shows(&harness, "no answer within 20 s"));
    assert!(shows(&harness, "QV-4"), "the provider's reference, whole");

    harness.get_by_label("Close").click();
    harness.run_steps(2);
    assert!(!shows(&harness, "Details: top-up"));
}

#[test]
fn a_backup_without_a_dialog_says_where_and_a_restore_offers_saldos_own_list() {
    set_language(Language::English);
    let (mut shop, mut prefs) = (Shop::default(), Prefs::default());
    let mut harness = Harness::builder().with_size([900.0, 700.0]).build_ui_state(
        move |ui, recorded: &mut Recorded<DataSection>| {
            if !recorded.themed(ui) {
                return;
            }
            let commands = &mut recorded.commands;
            let mut run = |c| commands.push(c);
            let cx = &mut context(&mut shop, &mut prefs, &mut run);
            data_section_ui(ui, &mut recorded.state, cx);
        },
        Recorded::new(DataSection::default()),
    );
    harness.get_by_label("Your data and backups").click();
    harness.run_steps(2);
    harness.get_by_label("Back up now…").click();
    harness.run_steps(2);
    // A second click while it runs does nothing: the button is off.
    harness.get_by_label("Back up now…").click();
    harness.run_steps(2);
    let backups = emitted(&harness, |c| matches!(c, Command::BackupNow).then_some(()));
    assert_eq!(backups.len(), 1);
    harness.state_mut().state.backed_up(Ok(None));
    harness.run_steps(2);
    assert!(shows(&harness, "No file chosen: no backup was made."));

    harness.get_by_label("Restore a backup…").click();
    harness.run_steps(2);
    let newest = PathBuf::from("/home/clerk/Documents/saldo-backup-20261203-090000-000.sqlite3");
    harness
        .state_mut()
        .state
        .restore_checked(Ok(RestoreChoice::Found {
            backups: vec![
                BackupFile {
                    path: newest.clone(),
                    modified_ms: Some(1_764_752_400_000),
                    bytes: 40_960,
                },
                BackupFile {
                    path: PathBuf::from("/srv/shop/saldo/backups/daily-20261202.sqlite3"),
                    modified_ms: Some(1_764_666_000_000),
                    bytes: 38_912,
                },
            ],
            searched: [
                PathBuf::from("/srv/shop/saldo/backups"),
                PathBuf::from("/home/clerk/Documents"),
            ],
        }));
    harness.run_steps(2);
    assert!(shows(&harness, "These are the backups saldo found"));
    harness
        .get_by_label_contains("saldo-backup-20261203-090000-000.sqlite3")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Check this backup").click();
    harness.run_steps(2);
    let checked = emitted(&harness, |c| match c {
        Command::CheckBackup { path } => Some(path.clone()),
        _ => None,
    });
    assert_eq!(checked, [newest]);
}

/// What the commands a panel emitted so far say, picked by `pick`.
fn emitted<S, T>(
    harness: &Harness<'_, Recorded<S>>,
    pick: impl Fn(&Command) -> Option<T>,
) -> Vec<T> {
    harness.state().commands.iter().filter_map(pick).collect()
}

fn shows<S>(harness: &Harness<'_, S>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}
