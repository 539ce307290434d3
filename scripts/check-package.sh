#!/usr/bin/env bash
# Checks a built saldo .deb on this machine, as a shop would use it: installs it with dpkg -i,
# runs `saldo --version`, validates the desktop entry and the AppStream metainfo, checks the
# icons, launches saldo from its desktop entry (gio launch) on the current display and waits for
# its window and its ledger, then closes it and uninstalls the package.
#
# Needs root or sudo, a DISPLAY and `gio` (scripts/test.sh provides all three).
#   scripts/check-package.sh target/debian/saldo_0.1.0-1_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:?usage: scripts/check-package.sh FILE.deb}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "check-package.sh: need root or sudo to run: $*" >&2; exit 1
  fi
}
fail() { echo "check-package.sh: $*" >&2; exit 1; }

if dpkg-query -W -f='${Status}' saldo 2>/dev/null | grep -q "install ok installed"; then
  fail "saldo is already installed on this machine; remove it first (sudo dpkg -r saldo)"
fi

home=$(mktemp -d -t saldo-package-home.XXXXXX)
launched=""
cleanup() {
  if [[ -n $launched ]]; then kill -TERM "$launched" 2>/dev/null || true; fi
  as_root dpkg -r saldo >/dev/null 2>&1 || true
  rm -rf "$home"
}
trap cleanup EXIT

as_root dpkg -i "$deb" >/dev/null
echo "package: installed $(dpkg-query -W -f='${Package} ${Version} ${Architecture}' saldo)"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
[[ $(command -v saldo) == /usr/bin/saldo ]] || fail "saldo is not /usr/bin/saldo"
[[ $(saldo --version) == "saldo $version" ]] || fail "saldo --version said: $(saldo --version)"
echo "package: saldo --version = saldo $version"

desktop=/usr/share/applications/saldo.desktop
desktop-file-validate "$desktop" || fail "the desktop entry does not validate"
grep -qx "StartupWMClass=saldo" "$desktop" || fail "the desktop entry's window class is not the app id"
appstreamcli validate --no-net /usr/share/metainfo/io.github.saldo.Saldo.metainfo.xml >/dev/null \
  || fail "the AppStream metainfo does not validate"
for size in 16 32 48 64 128 256; do
  [[ -f /usr/share/icons/hicolor/${size}x${size}/apps/saldo.png ]] || fail "no ${size}px icon"
done
[[ -f /usr/share/icons/hicolor/scalable/apps/saldo.svg ]] || fail "no scalable icon"
echo "package: desktop entry, metainfo and icons are valid"

# Launched the way a desktop does, with a throw-away home: the window opens on the welcome and
# the new shop's ledger appears in the home's data folder.
# Only the saldo started here is looked at and closed (not one a person may be running).
already=$(pgrep -x saldo || true)
HOME="$home" XDG_DATA_HOME="$home/.local/share" gio launch "$desktop" &
saldo_window() {
  local tree
  tree=$(xwininfo -root -tree 2>/dev/null || true)
  grep -qE '"saldo": \(.*"saldo"\)' <<<"$tree"
}
for _ in $(seq 120); do saldo_window && break; sleep 0.5; done
saldo_window || fail "no saldo window appeared after gio launch"
launched=$(pgrep -x saldo | grep -vxF -e "${already:-none}" | tail -n 1 || true)
[[ -n $launched ]] || fail "the launched saldo process was not found"
for _ in $(seq 20); do [[ -f "$home/.local/share/saldo/saldo.sqlite3" ]] && break; sleep 0.5; done
[[ -f "$home/.local/share/saldo/saldo.sqlite3" ]] || fail "the launched saldo made no ledger"
echo "package: the desktop entry launched saldo (window open, ledger in the data folder)"
kill -TERM "$launched"
for _ in $(seq 40); do kill -0 "$launched" 2>/dev/null || break; sleep 0.25; done
! kill -0 "$launched" 2>/dev/null || fail "saldo did not close on SIGTERM"
launched=""

as_root dpkg -r saldo >/dev/null
[[ ! -e /usr/bin/saldo ]] || fail "dpkg -r left /usr/bin/saldo behind"
echo "package: removed cleanly"
