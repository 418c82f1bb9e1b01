#!/usr/bin/env bash
# Installs the Debian package into a fresh Debian root and runs it there from the installed files:
#   scripts/test-deb.sh [DEB] [PORT]          (as root; DEB defaults to the newest dist/annals_*.deb)
# The root is made by debootstrap (variant minbase: only Debian's essential packages and apt) from the mirror
# apt uses here, and cached as a tarball (ANNALS_DEB_ROOT_CACHE) so later runs take seconds. In it, apt installs
# the package, fetching exactly what its Depends name (so a missing dependency fails here); postinst makes the
# user annals and an empty registry. Then: `annals serve --check` and `annals serve` started as the service
# starts them (its ExecStartPre and ExecStart, with /etc/default/annals), /healthz and /metrics asked, the JSON
# log read, the backup script run twice with retention, and the package purged (the user goes, the data stays).
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:-$(ls -t dist/annals_*.deb 2>/dev/null | head -1)}
port=${2:-8184}
[ -f "$deb" ] || { echo "no package: run scripts/package-deb.sh first, or name the .deb" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "scripts/test-deb.sh needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "needs debootstrap: apt-get install debootstrap" >&2; exit 2; }

suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
mirror=$( (cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true) \
    | grep -v '^#' | grep -o -E 'https?://[^ ]+/debian/?' | grep -v security | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
cache=${ANNALS_DEB_ROOT_CACHE:-/var/tmp/annals-debootstrap-$suite.tar}
root=$(mktemp -d /tmp/annals-deb-root.XXXXXX)
server=""
# The server's own pid (written by the shell that execs it in the root), stopped with SIGTERM as systemd does.
stop_server() {
    local pid
    pid=$(cat "$root/tmp/annals.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    [ -n "$server" ] && wait "$server" 2>/dev/null || true
    server=""
}
cleanup() {
    [ -n "$server" ] && stop_server
    for m in dev/pts dev proc; do umount -l "$root/$m" 2>/dev/null || true; done
    rm -rf "$root"
}
trap cleanup EXIT
started=$(date +%s)

if [ -f "$cache" ]; then
    tar -C "$root" -xf "$cache"
else
    echo "debootstrap $suite from $mirror (once; cached in $cache)"
    debootstrap --variant=minbase "$suite" "$root" "$mirror" > "$root.debootstrap.log" 2>&1 ||
        { tail -20 "$root.debootstrap.log" >&2; exit 1; }
    rm -f "$root.debootstrap.log"
    tar -C "$root" -cf "$cache" .
fi
echo "fresh root ($suite, minbase) in $root: $(( $(date +%s) - started )) s"

mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/annals.deb"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

fail() { echo "FAIL: $*" >&2; exit 1; }

in_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -qq --no-install-recommends /tmp/annals.deb \
    > "$root/tmp/install.log" 2>&1 || { cat "$root/tmp/install.log" >&2; fail "apt-get install"; }
grep '^annals:' "$root/tmp/install.log" || true
echo "installed: $(in_root dpkg-query -W -f='${Package} ${Version} ${Status}' annals)"

in_root getent passwd annals | grep -q ':/var/lib/annals:' || fail "postinst made no user annals"
[ "$(in_root stat -c '%U %a' /var/lib/annals)" = "annals 750" ] || fail "/var/lib/annals is not annals' with mode 750"
[ -f "$root/var/lib/annals/annals.sqlite" ] || fail "postinst made no registry"
in_root man -w annals >/dev/null 2>&1 || [ -f "$root/usr/share/man/man1/annals.1.gz" ] || fail "no man page"

# The service's own command lines, with its settings, as the user annals (the port made free for this test).
unit=$root/lib/systemd/system/annals.service
pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
start=$(sed -n 's/^ExecStart=//p' "$unit")
run_as_service() {
    in_root runuser -u annals -- /bin/sh -c \
        "set -a; . /etc/default/annals; set +a; ANNALS_SERVE_OPTIONS=\"\$(echo \"\$ANNALS_SERVE_OPTIONS\" | sed 's/--port [0-9]*/--port $port/')\"; cd /var/lib/annals; echo \$\$ > /tmp/annals.pid; exec $1"
}
printf 'correct horse 1\n' | in_root runuser -u annals -- /usr/bin/annals user add ada --role admin \
    --db /var/lib/annals/annals.sqlite --password-stdin
echo "--- $pre"
run_as_service "$pre" || fail "annals serve --check refused the installed configuration"
echo "--- $start"
run_as_service "$start" > "$root/tmp/serve.out" 2> "$root/tmp/serve.log" &
server=$!
for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$port/healthz" > "$root/tmp/health.json" 2>/dev/null && break
    sleep 0.2
done
health=$(cat "$root/tmp/health.json" 2>/dev/null || true)
[ "$health" = '{"registry":"ok"}' ] || { cat "$root/tmp/serve.log" >&2; fail "/healthz answered '$health'"; }
echo "/healthz: $health"
curl -sf "http://127.0.0.1:$port/metrics" | grep -q '^annals_http_requests_total{route="/healthz",method="GET",status="200"} 1$' \
    || fail "/metrics does not count the /healthz request"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 10.0.0.9' "http://127.0.0.1:$port/metrics")" = 403 ] \
    || fail "/metrics answered through a proxy"
signin=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/signin")
[ "$signin" = 200 ] || fail "/signin answered $signin"
echo "/metrics and /signin answer"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1]) if l.strip()]' "$root/tmp/serve.log" \
    || fail "a log line is not JSON"
grep -q '"route":"/healthz"' "$root/tmp/serve.log" || fail "no JSON access log line for /healthz"
! grep -q 'correct horse' "$root/tmp/serve.log" || fail "the log holds a password"
stop_server

# The daily backup, twice with one kept.
for _ in 1 2; do
    in_root runuser -u annals -- /bin/sh -c \
        'set -a; . /etc/default/annals; ANNALS_BACKUP_KEEP=1; set +a; cd /var/lib/annals; /usr/lib/annals/annals-backup' \
        || fail "annals-backup"
    sleep 1
done
kept=$(ls "$root/var/lib/annals/backups" | grep -c '^annals-backup-.*\.sqlite$' || true)
[ "$kept" = 1 ] || fail "annals-backup kept $kept backups, not 1"
echo "annals-backup: a checked backup, the older one deleted"

in_root dpkg --purge annals > /dev/null
! in_root getent passwd annals > /dev/null || fail "purge left the user annals"
[ -f "$root/var/lib/annals/annals.sqlite" ] || fail "purge deleted the registry"
echo "purged: the user is gone, /var/lib/annals kept"
echo "PASS ($(( $(date +%s) - started )) s)"
