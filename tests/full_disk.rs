//! A ledger that cannot grow (a full disk) stops a top-up before anything is sent. Its own test
//! binary, because the file-size limit it sets holds for the whole process.

mod common;

use common::{Rig, order};
use saldo::engine::EngineError;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_stops_the_top_up_before_the_first_request() {
    let rig = Rig::new(5).await;
    let path = rig.engine.ledger().path().to_path_buf();
    let largest = [
        path.clone(),
        path.with_extension("sqlite3-wal"),
        path.with_extension("sqlite3-shm"),
    ]
    .iter()
    .filter_map(|f| std::fs::metadata(f).ok())
    .map(|m| m.len())
    .max()
    .unwrap();
    // From here on no file of this process may grow: the disk is "full". A write past the
    // limit fails instead of killing the process.
    // SAFETY: signal and setrlimit take plain values (and a pointer to a live local) and only
    // change this process's signal disposition and file size limit.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let limit = libc::rlimit {
            rlim_cur: largest,
            rlim_max: libc::RLIM_INFINITY,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
    let err = rig
        .engine
        .top_up(&order("52942387", "20"))
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::NotRecorded(_)), "{err}");
    assert!(err.to_string().starts_with("nothing was sent"), "{err}");
    assert!(err.to_string().contains("disk"), "{err}");
    assert!(rig.sim.requests().is_empty(), "no request may leave");
    assert!(rig.recharges().is_empty());
}
