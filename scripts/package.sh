#!/usr/bin/env bash
# Builds saldo's Debian package (release build, binary stripped) with cargo-deb and prints the
# path of the .deb on its last line. Installs what it needs when missing: cargo-deb at a pinned
# version (from crates.io, into ~/.cargo/bin) and dpkg-dev (for dpkg-shlibdeps, as root or with
# sudo).
#
#   scripts/package.sh            → target/debian/saldo_VERSION-1_ARCH.deb
#   scripts/package.sh --no-build   packages target/release/saldo as it is (scripts/test.sh: the
#                                   binary its tests ran)
#   sudo dpkg -i target/debian/saldo_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."

cargo_deb_version=3.8.0

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "package.sh: need root or sudo to run: $*" >&2; exit 1
  fi
}

if ! command -v dpkg-shlibdeps >/dev/null; then
  echo "package.sh: installing dpkg-dev (dpkg-shlibdeps finds the package's library dependencies)" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null
fi
if ! cargo deb --version 2>/dev/null | grep -qF "$cargo_deb_version"; then
  echo "package.sh: installing cargo-deb $cargo_deb_version" >&2
  cargo install cargo-deb --version "$cargo_deb_version" --locked --quiet
fi

cargo deb --locked "$@" >&2
deb=$(ls -t target/debian/saldo_*.deb | head -n 1)
echo "$PWD/$deb"
