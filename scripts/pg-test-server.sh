#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests (and for trying Annals on PostgreSQL by hand).
#
#   scripts/pg-test-server.sh start DIR   initdb in DIR (which must not exist or be empty), start the server on a
#                                         free port on 127.0.0.1, print the URL (user annals, a random password)
#   scripts/pg-test-server.sh stop DIR    stop it (the folder is left for the caller to remove)
#
# The server refuses to run as root, so when this runs as root (as CI does) the data folder belongs to the
# `postgres` user (created by Debian's postgresql package) and the server runs as that user through runuser.
# Connections from 127.0.0.1 need the password (scram-sha-256); the password is in the printed URL only.
# With openssl installed the server also offers TLS (a self-signed certificate made for it).
set -euo pipefail

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/pg_ctl" ]; then bindir=$(pg_config --bindir); fi
if [ -z "$bindir" ]; then
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && bindir=$d; done
fi
[ -n "$bindir" ] || { echo "pg-test-server: no PostgreSQL server programs (apt-get install -y postgresql)" >&2; exit 2; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ -z "$(ls -A "$dir")" ] || { echo "pg-test-server: $dir is not empty" >&2; exit 2; }
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || { echo "pg-test-server: running as root needs the postgres user (apt-get install -y postgresql)" >&2; exit 2; }
        chown postgres: "$dir"
        # The server must be able to reach its folder.
        p=$dir; while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
    fi
    password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    umask 077
    printf '%s\n' "$password" > "$dir/pw"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pw"
    as_owner "$bindir/initdb" -D "$dir/data" -U annals --pwfile="$dir/pw" --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pw"
    # TLS with a self-signed certificate when openssl is there, so that sslmode=require can be tried too.
    tls_options=""
    if command -v openssl >/dev/null 2>&1; then
        as_owner openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
            -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >/dev/null 2>&1 \
            && tls_options="-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key"
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/data -c fsync=off -c max_connections=300 $tls_options" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://annals:$password@127.0.0.1:$port/postgres"
    ;;
stop)
    [ -d "$dir/data" ] || exit 0
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
*)
    echo "pg-test-server: unknown command $cmd (start or stop)" >&2; exit 2 ;;
esac
