#!/usr/bin/env bash
# Renders an Annals HTML report in a real browser (headless Chromium) to a PNG screenshot and an A4
# PDF, and fails when either cannot be produced or comes out empty.
#
#   scripts/render-report.sh REPORT.html OUT_DIR
#
# Chromium runs with no network access to anything outside the file (the report needs none).
set -euo pipefail
html=${1:?usage: render-report.sh REPORT.html OUT_DIR}
out=${2:?usage: render-report.sh REPORT.html OUT_DIR}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "render-report: no Chromium found; install it with: apt-get install -y chromium" >&2
  exit 3
fi
mkdir -p "$out"
name=$(basename "${html%.html}")
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --user-data-dir="$profile"
       --proxy-server="127.0.0.1:9" --proxy-bypass-list="<-loopback>" --hide-scrollbars)
timeout 120 "$browser" "${flags[@]}" --window-size=1240,1754 --screenshot="$out/$name.png" "$url" >/dev/null 2>"$out/$name.chromium.log" || true
timeout 120 "$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/$name.pdf" "$url" >/dev/null 2>>"$out/$name.chromium.log" || true
for f in "$out/$name.png" "$out/$name.pdf"; do
  if [ ! -s "$f" ]; then
    echo "render-report: Chromium did not produce $f; its log:" >&2
    tail -n 20 "$out/$name.chromium.log" >&2
    exit 1
  fi
done
head -c 5 "$out/$name.pdf" | grep -q "%PDF-" || { echo "render-report: $out/$name.pdf is not a PDF" >&2; exit 1; }
echo "rendered $html: $out/$name.png ($(stat -c %s "$out/$name.png") bytes), $out/$name.pdf ($(stat -c %s "$out/$name.pdf") bytes)"
