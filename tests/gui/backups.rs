//! Settings › "Your data and backups": where things are kept, a backup through the file
//! dialog, a restore that is checked and confirmed first, and the automatic daily backup.

use egui_kittest::kittest::Queryable;
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
