//! Settings › "Your data and backups": where things are kept, a backup through the file
//! dialog, a restore that is checked and confirmed first, and the automatic daily backup.

use egui_kittest::kittest::{NodeT, Queryable};
use saldo::ledger::backup::{backups_dir, check_backup, daily_backups};

use super::support::*;

#[test]
fn a_backup_is_taken_and_restored_from_settings_and_one_is_made_every_day() {
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("counter-pc.sqlite3");
    let answers = FileAnswers {
        backup_to: Some(backup.clone()),
        restore_from: Some(backup.clone()),
        ..FileAnswers::default()
    };
    let mut harness = demo_app_with_files(dir.path(), answers);
    let data_dir = harness.state().services().data_dir().to_path_buf();

    // The automatic backup of the day is made shortly after the window opens.
    run_until(&mut harness, "today's automatic backup", |_| {
        !daily_backups(&data_dir).is_empty()
    });
    let daily = daily_backups(&data_dir);
    check_backup(&daily[0]).expect("a sound daily backup");

    open_panel(&mut harness, "Settings");
    harness.get_by_label("Your data and backups").click();
    harness.run_steps(2);
    assert!(shows(&harness, &data_dir.display().to_string()));
    assert!(shows(
        &harness,
        "The demo keeps its made-up credentials in memory only."
    ));
    wait_for(
        &mut harness,
        &format!("Today's automatic backup: {}", daily[0].display()),
    );

    let before = ledger_count(&harness);
    click(&mut harness, "Back up now…");
    wait_for(
        &mut harness,
        &format!("Backed up {before} operations to {}.", backup.display()),
    );
    assert_eq!(check_backup(&backup).unwrap().operations as usize, before);

    // A sale after the backup...
    open_panel(&mut harness, "Counter");
    send_top_up(&mut harness, "52942390", "20.00 USD");
    wait_for(&mut harness, "Top-up succeeded");
    assert_eq!(ledger_count(&harness), before + 1);

    // ...stays after restoring it: a restore merges, it never forgets an operation.
    open_panel(&mut harness, "Settings");
    click(&mut harness, "Restore a backup…");
    wait_for(
        &mut harness,
        &format!("{} holds {before} operations", backup.display()),
    );
    assert_eq!(
        ledger_count(&harness),
        before + 1,
        "nothing changes before confirming"
    );
    click(&mut harness, "Restore this backup");
    wait_for(
        &mut harness,
        &format!(
            "Restored {before} operations: 0 came back from the backup and 1 made since were kept."
        ),
    );
    assert_eq!(ledger_count(&harness), before + 1);
    assert!(
        harness
            .state()
            .recent_notifications()
            .iter()
            .any(|n| n.contains("restored from a backup"))
    );
    let kept: Vec<_> = std::fs::read_dir(backups_dir(&data_dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        check_backup(&kept[0]).unwrap().operations as usize,
        before + 1
    );
}

/// A session without a desktop portal (a bare X session, a kiosk): the save dialog cannot be
/// opened, and saldo says so, saves in the documents folder with "Open folder", and a restore
/// offers the backups it finds itself.
#[test]
fn without_a_file_dialog_backups_and_exports_go_to_documents_and_restore_offers_a_list() {
    let dir = tempfile::tempdir().unwrap();
    let answers = FileAnswers {
        no_dialog: true,
        ..FileAnswers::default()
    };
    let mut harness = demo_app_with_files(dir.path(), answers);
    let data_dir = harness.state().services().data_dir().to_path_buf();
    let documents = fallback_folder(&data_dir);
    let before = ledger_count(&harness);

    open_panel(&mut harness, "Settings");
    harness.get_by_label("Your data and backups").click();
    harness.run_steps(2);
    click(&mut harness, "Back up now…");
    wait_for(
        &mut harness,
        &format!(
            "The system's save dialog could not be opened, so saldo backed up {before} operations to {}",
            documents.display()
        ),
    );
    let written = saved_files(&documents, "saldo-backup-");
    assert_eq!(written.len(), 1, "one backup in the documents folder");
    assert_eq!(
        check_backup(&written[0]).unwrap().operations as usize,
        before
    );
    assert!(shows(&harness, &written[0].display().to_string()));
    wait_for_button(&mut harness, "Open folder");

    // Restoring: saldo's own list, with the backup just made; nothing changes until confirmed.
    click(&mut harness, "Restore a backup…");
    wait_for(&mut harness, "These are the backups saldo found");
    let name = written[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        harness
            .query_by_role_and_label(egui::accesskit::Role::Button, "Check this backup")
            .is_some_and(|b| b.accesskit_node().is_disabled()),
        "nothing to check before one is picked"
    );
    harness.get_by_label_contains(&name).click();
    harness.run_steps(2);
    wait_for_enabled_button(&mut harness, "Check this backup");
    click(&mut harness, "Check this backup");
    wait_for(
        &mut harness,
        &format!("{} holds {before} operations", written[0].display()),
    );
    click(&mut harness, "Keep the ledger as it is");
    harness.run_steps(2);
    assert!(!shows(&harness, "These are the backups saldo found"));
    assert_eq!(ledger_count(&harness), before);

    // Two exports of the same day: two files, the second never over the first.
    open_panel(&mut harness, "History");
    wait_for(&mut harness, &format!("{before} operations"));
    let today = jiff::Zoned::now().date();
    for name in [
        format!("saldo-history-{today}.csv"),
        format!("saldo-history-{today}-2.csv"),
    ] {
        click(&mut harness, "Export…");
        wait_for(
            &mut harness,
            &format!(
                "The system's save dialog could not be opened, so saldo saved the {before} operations in {}.",
                documents.join(name).display()
            ),
        );
    }
    let exports = saved_files(&documents, "saldo-history-");
    assert_eq!(exports.len(), 2, "{exports:?}");
    for export in &exports {
        let rows = std::fs::read_to_string(export).unwrap().lines().count() - 1;
        assert_eq!(rows, before);
    }
}

/// The files in `folder` whose names start with `prefix`, sorted.
fn saved_files(folder: &std::path::Path, prefix: &str) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    found.sort();
    found
}

/// saldo asks the desktop portal itself before rfd tries a dialog: in scripts/test.sh's private
/// D-Bus session (a Secret Service and nothing else) there is no file chooser, and the check
/// says so instead of waiting for a dialog that never opens.
#[test]
fn a_session_without_a_desktop_portal_has_no_file_chooser() {
    if std::env::var_os("SALDO_TEST_KEYCHAIN").is_none() {
        eprintln!("skipped: needs scripts/test.sh's private D-Bus session");
        return;
    }
    let portal = "/usr/share/dbus-1/services/org.freedesktop.portal.Desktop.service";
    if std::path::Path::new(portal).exists() {
        eprintln!("skipped: {portal} is installed, so the private session can start a portal");
        return;
    }
    assert!(!saldo::ui::backend::file_chooser_available());
}
