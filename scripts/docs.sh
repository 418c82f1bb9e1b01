#!/usr/bin/env bash
# Builds the DocC documentation of each library module (Sources/MODULE/MODULE.docc plus its public symbols)
# into docs-build/MODULE.doccarchive, with the toolchain's `docc` (no package plugin needed).
#   scripts/docs.sh            all library modules
#   scripts/docs.sh AnnalsStore one module
set -euo pipefail
cd "$(dirname "$0")/.."
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(AnnalsModel AnnalsXML AnnalsStore AnnalsInterchange AnnalsStatistics AnnalsReports AnnalsCLI)
swift package dump-symbol-graph --minimum-access-level public >/dev/null
graphs=$(find .build -type d -name symbolgraph -path "*$(uname -m)*" | head -1)
out=docs-build
mkdir -p "$out"
for m in "${modules[@]}"; do
    dir=$(mktemp -d)
    cp "$graphs/$m.symbols.json" "$dir/"
    cp "$graphs/$m"@*.symbols.json "$dir/" 2>/dev/null || true
    docc convert "Sources/$m/$m.docc" --additional-symbol-graph-dir "$dir" --fallback-display-name "$m" \
        --fallback-bundle-identifier "annals.$m" --output-path "$out/$m.doccarchive"
    rm -rf "$dir"
    echo "docs: $out/$m.doccarchive"
done
