#!/usr/bin/env bash
# Takes the README's screenshot (docs/screenshot.png): the demo's window, drawn by the release
# build under a private Xvfb display (packages xvfb, x11-utils, imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
data=$(mktemp -d -t saldo-screenshot.XXXXXX)
runtime=$(mktemp -d -t saldo-runtime.XXXXXX)
trap 'rm -rf "$data" "$runtime"' EXIT
XDG_RUNTIME_DIR="$runtime" TZ=UTC xvfb-run -a -s "-screen 0 1280x800x24" bash -euo pipefail -c '
  ./target/release/saldo --demo --data-dir "$1" &
  for _ in $(seq 60); do
    window=$(xwininfo -root -tree | grep -F "\"saldo - DEMO\"" | awk "{print \$1}" | head -n 1)
    [[ -n $window ]] && break
    sleep 0.5
  done
  sleep 8   # the demo fills its ledger and reads its balances
  import -window "$window" docs/screenshot.png
  kill %1
' screenshot "$data"
echo docs/screenshot.png
