//! The shop's day end to end: receipts printed, numbered and reprinted, on real ledger files,
//! a fake network printer on 127.0.0.1 and the PDF as poppler renders it.

mod escpos_decoder;
mod receipts;

use std::path::{Path, PathBuf};

/// Compares `bytes` with the snapshot `name` in `tests/shop_day/snapshots/` (written there
/// instead when `UPDATE_SNAPSHOTS=1`); a difference is written beside it as `NAME.new`.
pub fn snapshot(name: &str, bytes: &[u8]) {
    let path = snapshots().join(name);
    let new = path.with_file_name(format!("{name}.new"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(snapshots()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let _ = std::fs::remove_file(&new);
        return;
    }
    let Ok(expected) = std::fs::read(&path) else {
        std::fs::write(&new, bytes).unwrap();
        panic!(
            "no snapshot {name}: look at {} and run with UPDATE_SNAPSHOTS=1",
            new.display()
        );
    };
    if expected != bytes {
        std::fs::write(&new, bytes).unwrap();
        panic!(
            "{name} differs from its snapshot: compare {} with {}, and run with \
             UPDATE_SNAPSHOTS=1 if the change is meant",
            path.display(),
            new.display()
        );
    }
    let _ = std::fs::remove_file(&new);
}

fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shop_day/snapshots")
}

/// Writes 8-bit grey pixels as a PNG file's bytes.
pub fn png(width: u32, height: u32, grey: Vec<u8>) -> Vec<u8> {
    let image = image::GrayImage::from_raw(width, height, grey).expect("pixels fill the image");
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

/// The texts of every QR code found in a grey image.
pub fn qr_codes_in(width: usize, height: usize, grey: &[u8]) -> Vec<String> {
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}
