#!/usr/bin/env bash
# Runs saldo's whole test suite, as CI does, on a Debian/Ubuntu machine with Rust installed.
#
# It installs the Debian packages the tests need when they are missing (as root, or with sudo),
# starts a private D-Bus session with an unlocked gnome-keyring in a throw-away folder and an
# Xvfb display, runs every test, and stops all of it afterwards. It never touches your own
# keyring or display.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  gcc libc6-dev                         # building (bundled SQLite and crypto are C)
  dbus gnome-keyring libsecret-tools    # a real Secret Service for the keychain tests
  xvfb xauth x11-utils imagemagick      # a real window under a virtual display
  xdotool                               # real key events (XTEST) into that window
  libfribidi-bin                        # an independent bidi engine the Persian drawing is checked against
  libgl1 libegl1 libgl1-mesa-dri libegl-mesa0 libglx-mesa0 mesa-vulkan-drivers libvulkan1
  libxkbcommon-x11-0 libxcursor1 libxi6 libx11-xcb1 libfontconfig1 libdbus-1-3
  util-linux                            # setpriv: one test drops root to prove a read-only ledger
  postgresql                            # a throw-away PostgreSQL cluster: the shop's server
  libreoffice-calc-nogui                # an exported CSV is opened by LibreOffice Calc
  poppler-utils                         # a PDF receipt rendered to PNG (pdftoppm) and read back (pdftotext)
  dpkg-dev desktop-file-utils appstream libglib2.0-bin   # the .deb: built, validated, launched
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "test.sh: installing missing Debian packages: ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    echo "test.sh: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# Dependency policy: HTTPS through rustls only, file dialogs through the portal only.
for banned in openssl-sys native-tls gtk-sys gtk3-sys; do
  if cargo tree --locked -e normal,build -i "$banned" >/dev/null 2>&1; then
    echo "test.sh: $banned must not be a dependency of saldo (no OpenSSL, no GTK)" >&2
    exit 1
  fi
done
echo "dependency policy: no OpenSSL, no GTK"

# The code as the project keeps it: formatted, and without a warning of rustc or clippy (the
# [lints] table in Cargo.toml says which lints are set). Clippy lints the project's own crates
# inside the one build the tests use (RUSTC_WORKSPACE_WRAPPER, which is how `cargo clippy`
# runs it), instead of a second, check-only build of every dependency: on a cold machine that
# second build alone took 9 minutes.
clippy_driver="$(rustc --print sysroot)/bin/clippy-driver"
if [[ ! -x "$clippy_driver" ]] || ! cargo fmt --version >/dev/null 2>&1; then
  echo "test.sh: clippy and rustfmt are needed: rustup component add clippy rustfmt" >&2
  exit 1
fi
cargo fmt --check
export RUSTC_WORKSPACE_WRAPPER="$clippy_driver"

# Build everything first, with the same environment the tests run in (no rebuilds later). The
# tests run in the release profile: the shipped binary is the one they test, and the dependencies
# are built once for the tests and the package (a second, debug build of every dependency cost
# 22 minutes of a cold CI run).
build_log=$(mktemp -t saldo-build.XXXXXX)
cargo build --release --all-targets --locked 2>&1 | tee "$build_log"
if grep -qE '^(warning|error)(\[|:)' "$build_log"; then
  echo "test.sh: the build has warnings (see above): fix them, the suite keeps none" >&2
  rm -f "$build_log"
  exit 1
fi
rm -f "$build_log"
echo "lints: formatted, no rustc or clippy warning"

# The Debian package of the binary just built, installed and launched after the tests. A
# narrowed run (arguments for cargo test) skips it.
export SALDO_TEST_DEB=""
if (($# == 0)); then
  SALDO_TEST_DEB=$(scripts/package.sh --no-build | tail -n 1)
fi

work=$(mktemp -d -t saldo-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/runtime" "$work/keyring-data"

# Inside a private D-Bus session: an unlocked gnome-keyring (unlocked BEFORE any display exists,
# so it can never show an unlock prompt), then Xvfb, then the tests.
export SALDO_TEST_WORK="$work"
# Times in snapshot images are drawn in this zone, whatever the machine's own.
export TZ=UTC
# The shop's server for the tests is a throw-away PostgreSQL cluster around all of it
# (scripts/with-postgres.sh names it in SALDO_TEST_POSTGRES).
scripts/with-postgres.sh dbus-run-session -- bash -euo pipefail -c '
  export XDG_RUNTIME_DIR="$SALDO_TEST_WORK/runtime"
  printf %s saldo-test-keyring \
    | XDG_DATA_HOME="$SALDO_TEST_WORK/keyring-data" \
      gnome-keyring-daemon --foreground --unlock --components=secrets \
      >"$SALDO_TEST_WORK/keyring.log" 2>&1 &
  keyring_pid=$!
  trap "kill $keyring_pid 2>/dev/null || true" EXIT
  secret_service_up() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
      | grep -q "boolean true"
  }
  for _ in $(seq 100); do secret_service_up && break; sleep 0.1; done
  secret_service_up || {
    echo "test.sh: gnome-keyring did not start:" >&2; cat "$SALDO_TEST_WORK/keyring.log" >&2; exit 1; }
  export SALDO_TEST_KEYCHAIN=1 SALDO_TEST_DISPLAY=1 SALDO_TEST_LIBREOFFICE=1
  unset WAYLAND_DISPLAY
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" bash -euo pipefail -c "
    cargo test --release --locked \"\$@\"
    if [[ -n \"\$SALDO_TEST_DEB\" ]]; then
      echo \"test.sh: the ledger and engine behaviour tests again, on the shop server store (PostgreSQL)\"
      SALDO_TEST_STORE=postgres cargo test --release --locked --lib -- ledger:: engine::
      scripts/check-package.sh \"\$SALDO_TEST_DEB\"
    fi
  " xvfb-session "$@"
' saldo-tests "$@" 2> >(grep -v "Failed to set fd limit" >&2)
