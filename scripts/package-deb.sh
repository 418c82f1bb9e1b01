#!/usr/bin/env bash
# Builds the Debian package of Annals: dist/annals_VERSION_ARCH.deb.
#   scripts/package-deb.sh [--no-build] [--out DIR]
# `annals` is built in release with the Swift standard library linked statically, so the package depends only
# on Debian's own libraries: its Depends are computed from `ldd` of the binary, each library mapped to its
# Debian package with `dpkg -S`. The package holds the binary (with its resource bundles, in /usr/lib/annals),
# a systemd service running `annals serve` as the system user annals, a daily backup timer, /etc/default/annals,
# an nginx HTTPS example and a man page made from the binary's own help. Then lintian checks it.
# --no-build packages the release binary already built. Needs dpkg-deb, python3 and (for the check) lintian.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
out=dist
while [ $# -gt 0 ]; do
    case $1 in
    --no-build) build=0 ;;
    --out) out=$2; shift ;;
    *) echo "usage: scripts/package-deb.sh [--no-build] [--out DIR]" >&2; exit 2 ;;
    esac
    shift
done

flags=(-c release --static-swift-stdlib --product annals)
if [ $build = 1 ]; then
    started=$(date +%s)
    swift build "${flags[@]}"
    echo "release build: $(( $(date +%s) - started )) s"
fi
bin_dir=$(swift build "${flags[@]}" --show-bin-path)
binary=$bin_dir/annals
[ -x "$binary" ] || { echo "no release build at $binary: run without --no-build" >&2; exit 1; }

version=$("$binary" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
name=annals_${version}_${arch}
stage=$(mktemp -d /tmp/annals-deb.XXXXXX)
trap 'rm -rf "$stage"' EXIT
root=$stage/$name
here=packaging/debian

# The binary and the resource bundles SwiftPM's Bundle.module looks for beside it (the resolved path of the
# executable, so /usr/bin/annals is a link).
install -d -m 0755 "$root/usr/lib/annals" "$root/usr/bin"
install -m 0755 "$binary" "$root/usr/lib/annals/annals"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/lib/annals/annals"
for bundle in "$bin_dir"/*.resources; do
    [ -d "$bundle" ] || continue
    cp -r "$bundle" "$root/usr/lib/annals/"
done
find "$root/usr/lib/annals" -name '*.resources' -type d -exec chmod 0755 {} + 
find "$root/usr/lib/annals" -path '*.resources/*' -type f -exec chmod 0644 {} +
ln -s ../lib/annals/annals "$root/usr/bin/annals"
install -m 0755 "$here/annals-backup" "$root/usr/lib/annals/annals-backup"

install -d -m 0755 "$root/lib/systemd/system" "$root/etc/default"
install -m 0644 "$here/annals.service" "$here/annals-backup.service" "$here/annals-backup.timer" \
    "$root/lib/systemd/system/"
install -m 0644 "$here/default" "$root/etc/default/annals"

doc=$root/usr/share/doc/annals
install -d -m 0755 "$doc/examples" "$root/usr/share/man/man1"
install -m 0644 "$here/copyright" "$doc/copyright"
install -m 0644 "$here/README.Debian" "$doc/README.Debian"
install -m 0644 "$here/nginx-annals.conf" "$doc/examples/nginx-annals.conf"
date_rfc=$(date -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")
printf 'annals (%s) unstable; urgency=medium\n\n  * Built from commit %s.\n\n -- Annals maintainers <annals@hospital.example>  %s\n' \
    "$version" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$date_rfc" | gzip -9n > "$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"
python3 scripts/make-manpage.py "$root/usr/lib/annals/annals" "$version" | gzip -9n > "$root/usr/share/man/man1/annals.1.gz"
chmod 0644 "$root/usr/share/man/man1/annals.1.gz"

# Depends: each library the binary loads, mapped to the Debian package that ships it, at least the version
# installed here (the build machine is the oldest Debian the package is meant for).
depends=()
while read -r lib; do
    pkg=""
    for candidate in "$lib" "$(readlink -f "$lib")" "/usr$lib" "${lib#/usr}"; do
        pkg=$(dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1) && [ -n "$pkg" ] && break
    done
    [ -n "$pkg" ] || { echo "no Debian package ships $lib" >&2; exit 1; }
    upstream=$(dpkg-query -W -f='${Version}' "$pkg" | sed -e 's/-[^-]*$//' -e 's/+deb.*$//')
    depends+=("$pkg (>= $upstream)")
done < <(ldd "$binary" | awk '/=>/ { print $3 } /^\t\/.*ld-linux/ { print $1 }' | grep '^/' | sort -u)
mapfile -t depends < <(printf '%s\n' "${depends[@]}" | sort -u)
depends_line=$(IFS=,; echo "${depends[*]}" | sed 's/,/, /g')
echo "Depends from ldd: $depends_line"

install -d -m 0755 "$root/DEBIAN"
installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: annals
Version: $version
Architecture: $arch
Maintainer: Annals maintainers <annals@hospital.example>
Installed-Size: $installed_kb
Depends: $depends_line, adduser, init-system-helpers (>= 1.54~)
Recommends: nginx
Suggests: postgresql-client
Section: science
Priority: optional
Homepage: https://annals.hospital.example/
Description: registry of a surgical department's research output and case tallies
 Annals keeps a hospital's research projects, papers, patents, awards, staff
 and operation counts in one registry (an SQLite file or a PostgreSQL
 database), imports PubMed, EndNote, CERIF, registry XML and spreadsheets,
 answers case questions, and writes the annual research report.
 .
 This package runs "annals serve" (pages in Chinese and English, a JSON API,
 /healthz and Prometheus /metrics) as a systemd service of its own user,
 with a daily backup timer and an nginx HTTPS example.
CONTROL
echo /etc/default/annals > "$root/DEBIAN/conffiles"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) \
    > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

mkdir -p "$out"
deb=$out/$name.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "built $deb: $(du -h "$deb" | cut -f1) ($(stat -c %s "$deb") bytes), installed ${installed_kb} KiB"
if command -v lintian >/dev/null; then
    lintian --info --fail-on warning,error "$deb" || {
        echo "lintian found problems (above)" >&2; exit 1; }
    echo "lintian: clean"
else
    echo "lintian is not installed (apt-get install lintian): the package was not checked" >&2
fi
