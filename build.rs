//! Build script. On Windows only: embeds the icon and the version details into saldo.exe
//! (winresource, a build dependency only on Windows). Elsewhere it does nothing.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(windows)]
    windows_resources::embed();
}

#[cfg(windows)]
mod windows_resources {
    /// The icon Explorer, the taskbar and the installer show.
    const ICON: &str = "packaging/windows/saldo.ico";

    pub fn embed() {
        println!("cargo:rerun-if-changed={ICON}");
        if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
            return;
        }
        let mut resources = winresource::WindowsResource::new();
        resources.set_icon(ICON);
        resources.set("ProductName", "saldo");
        resources.set(
            "FileDescription",
            "saldo: phone top-ups and prepaid credit for reseller shops",
        );
        if let Err(error) = resources.compile() {
            panic!("could not embed the Windows icon and version details: {error}");
        }
    }
}
