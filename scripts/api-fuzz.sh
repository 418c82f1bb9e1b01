#!/bin/sh
# Schemathesis (PyPI) against /api/openapi.json of a running demo server: no 5xx, every response as the spec says.
#
#   scripts/api-fuzz.sh [--annals .build/debug/annals] [--port 8183] [--examples 30] [--keep-server]
#
# Builds the demo registry in a temporary folder, adds an admin account and an API token, serves it on 127.0.0.1,
# installs schemathesis into a venv (/tmp/annals-schemathesis, once; needs PyPI), and runs every check
# (`--checks all`) against every operation, with the token (an admin: every route answers; the authorization
# matrix is tested in the suite, Tests/AnnalsWebTests/AuthorizationMatrixTests.swift).
#
# One check is left out: `positive_data_acceptance` ("a request valid by the schema is accepted"). Values the
# schema cannot know are refused by design: a department, person or procedure that is not in the registry (422, with
# the list command to find the right one), and combinations the description states (`cumulative` needs
# by=year or by=month; stats needs year, or from and to). Every other finding is a bug to fix.
# Known: `since=` (empty) on /api/history is taken as no `since` (empty query values are absent everywhere).
# Exit status: schemathesis's (non-zero on any finding). Not in .ci/run: it needs PyPI and takes a minute or two.
set -eu
annals=.build/debug/annals
port=8183
examples=30
keep=no
while [ $# -gt 0 ]; do
    case "$1" in
    --annals) annals=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --examples) examples=$2; shift 2 ;;
    --keep-server) keep=yes; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
annals=$(realpath "$annals")
venv=/tmp/annals-schemathesis
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q schemathesis
fi
work=$(mktemp -d /tmp/annals-api-fuzz.XXXXXX)
server=
cleanup() {
    if [ -n "$server" ] && [ "$keep" = no ]; then kill "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
(cd "$work" && "$annals" demo --out demo >/dev/null)
db=$work/demo/annals.sqlite
echo "api fuzz check 1" | "$annals" user add --db "$db" fuzzer --role admin --password-stdin >/dev/null
token=$("$annals" token create --db "$db" fuzzer 2>/dev/null | grep -o 'annals_[A-Za-z0-9_-]*' | head -n 1)
"$annals" serve --db "$db" --port "$port" >"$work/serve.log" 2>&1 &
server=$!
i=0
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
    i=$((i + 1))
    [ $i -lt 100 ] || { echo "annals serve did not answer on port $port" >&2; exit 1; }
    sleep 0.1
done
cd "$work" && "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
    -H "Authorization: Bearer $token" --checks all --exclude-checks positive_data_acceptance \
    --max-examples "$examples" --seed 20261206
