#!/usr/bin/env bash
# Builds saldo.app and a disk image on macOS, with the system's own tools (sips, iconutil,
# hdiutil). From the repository's root:
#
#   packaging/macos/make-app.sh        → target/release/saldo.app, target/release/saldo-VERSION.dmg
#
# The app keeps its data in ~/Library/Application Support/saldo and its secrets in the login
# keychain. It is not signed: sign and notarise it with your Developer ID before handing it out
# (codesign --deep --options runtime -s "Developer ID Application: …" target/release/saldo.app).
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ $(uname) == Darwin ]] || { echo "make-app.sh runs on macOS" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
cargo build --release --locked

app=target/release/saldo.app
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp target/release/saldo "$app/Contents/MacOS/saldo"
sed "s/@VERSION@/$version/g" packaging/macos/Info.plist > "$app/Contents/Info.plist"

# The icon: every size macOS asks for, from the 256 px PNG.
iconset=$(mktemp -d)/saldo.iconset
mkdir -p "$iconset"
for size in 16 32 64 128 256; do
  sips -z "$size" "$size" assets/icons/saldo-256.png --out "$iconset/icon_${size}x${size}.png" >/dev/null
  half=$((size / 2))
  if ((half >= 16)); then cp "$iconset/icon_${size}x${size}.png" "$iconset/icon_${half}x${half}@2x.png"; fi
done
iconutil -c icns "$iconset" -o "$app/Contents/Resources/saldo.icns"

hdiutil create -volname saldo -srcfolder "$app" -ov -format UDZO "target/release/saldo-$version.dmg"
echo "$app"
echo "target/release/saldo-$version.dmg"
