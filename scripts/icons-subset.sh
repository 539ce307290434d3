#!/usr/bin/env bash
# Rebuilds assets/fonts/Phosphor-saldo.ttf: the few Phosphor icons (MIT, see
# assets/fonts/Phosphor-LICENSE.txt) the window draws, cut out of the regular Phosphor font
# so the binary carries 7 KB instead of 480. Needs npm and Python's fonttools (pip install
# fonttools). Add an icon: find its codepoint in package/src/regular/style.css, add it here
# and to src/ui/theme.rs (icons), run this script.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @phosphor-icons/web@2.1.2 >/dev/null && tar xzf phosphor-icons-web-*.tgz)
codepoints=(
  E1E0 # device-mobile: Counter
  E68A # wallet: Balances
  E68E # users-three: Sub-accounts
  E3EC # receipt: Statement
  E1A0 # clock-counter-clockwise: History
  E4E2 # warning-circle: Needs review
  E272 # gear-six: Settings
  E398 # paper-plane-tilt: Send
  E30C # magnifying-glass: Review
  E036 # arrow-clockwise: Refresh
  EAF0 # export
  E182 # check
  E4F6 # x
  E1CA # copy
  E472 # sun
  E330 # moon
  E32E # monitor
  E3D4 # plus
  E4A6 # trash
  E038 # arrow-counter-clockwise: Retry
  E248 # floppy-disk: Back up
  E256 # folder-open
  E3DC # printer
  E058 # arrow-left: Back
  E3E8 # question
  E108 # calendar: pick a day
)
unicodes=$(printf 'U+%s,' "${codepoints[@]}")
pyftsubset "$work/package/src/regular/Phosphor.ttf" --unicodes="${unicodes%,}" \
  --output-file=assets/fonts/Phosphor-saldo.ttf --no-hinting --layout-features=''
cp "$work/package/LICENSE" assets/fonts/Phosphor-LICENSE.txt
echo "wrote assets/fonts/Phosphor-saldo.ttf"
