#!/usr/bin/env bash
# Builds the Debian package of hatif-import around a built binary.
#
#   scripts/build-deb.sh BINARY OUTDIR
#
# The package holds the binary, a man page per command (swift-argument-parser's generate-manual plugin,
# run in the binary's own build folder), bash, zsh and fish completions, the systemd units
# hatif-import@.service and hatif-import@.timer, an example job, and a postinst that adds the
# hatif-import user. Its Depends name the Debian packages of the shared libraries the binary links.
#
# Environment: COMPRESSION (dpkg-deb -Z: xz for `make dist`, none for the tests' throwaway package),
# STRICT=1 (fail when the binary links a library no Debian package provides, such as a Swift runtime
# not linked in), STRIP=1 (strip the binary's symbols), SWIFTPM_FLAGS (given to `swift package`: the
# scratch path, configuration and flags the binary was built with, so the plugin finds it up to date;
# by default the scratch path and configuration of BINARY's path).
set -euo pipefail
binary=$1
out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
compression=${COMPRESSION:-xz}
[[ -x $binary ]] || { echo "build-deb: no executable at $binary" >&2; exit 1; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
# .build-dist/release/hatif-import: the build folder and the configuration.
configuration=$(basename "$(dirname "$binary")")
scratch=$(dirname "$(dirname "$binary")")
[[ -d $scratch/checkouts || -f $scratch/workspace-state.json ]] || scratch=$(dirname "$scratch")

version=$("$binary" --version | cut -d' ' -f1)
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"

install -D -m 0755 "$binary" "$root/usr/bin/hatif-import"
if [[ ${STRIP:-0} == 1 ]]; then strip --strip-unneeded "$root/usr/bin/hatif-import"; fi

# Man pages, one per command.
manual=$(mktemp -d)
# SWIFTPM_FLAGS, when set, carries the scratch path and configuration the binary was built with.
(cd "$here" && swift package ${SWIFTPM_FLAGS:---scratch-path "$scratch" -c "$configuration"} plugin generate-manual \
    --configuration "$configuration" --multi-page \
    --authors "hatif-import developers" --section 1 --date "$(date -u +%Y-%m-%d)") >"$manual/log" 2>&1 \
    || { cat "$manual/log" >&2; exit 1; }
pages=$(find "$scratch/plugins/GenerateManual/outputs/hatif-import" -name '*.1' 2>/dev/null)
[[ -n $pages ]] || { echo "build-deb: the generate-manual plugin wrote no page" >&2; cat "$manual/log" >&2; exit 1; }
install -d "$root/usr/share/man/man1"
for page in $pages; do gzip -9n <"$page" >"$root/usr/share/man/man1/$(basename "$page").gz"; done
rm -rf "$manual"

# Shell completions, where each shell's Debian package looks for them.
install -d "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
    "$root/usr/share/fish/vendor_completions.d"
"$root/usr/bin/hatif-import" --generate-completion-script bash >"$root/usr/share/bash-completion/completions/hatif-import"
"$root/usr/bin/hatif-import" --generate-completion-script zsh >"$root/usr/share/zsh/vendor-completions/_hatif-import"
"$root/usr/bin/hatif-import" --generate-completion-script fish >"$root/usr/share/fish/vendor_completions.d/hatif-import.fish"

# systemd units, the example job, the README.
install -D -m 0644 "$here/packaging/systemd/hatif-import@.service" "$root/lib/systemd/system/hatif-import@.service"
install -D -m 0644 "$here/packaging/systemd/hatif-import@.timer" "$root/lib/systemd/system/hatif-import@.timer"
install -D -m 0644 "$here/packaging/crm.yml" "$root/usr/share/doc/hatif-import/examples/crm.yml"
install -D -m 0644 "$here/README.md" "$root/usr/share/doc/hatif-import/README.md"

# Depends: the package of every shared library the packaged binary names (NEEDED), found where ldd finds it.
binary=$root/usr/bin/hatif-import
depends="adduser"
missing=""
for name in $(readelf -d "$binary" | awk '/\(NEEDED\)/ { gsub(/[][]/, "", $5); print $5 }'); do
    library=$(ldd "$binary" | awk -v name="$name" '
        $1 == name && $2 == "=>" && $3 ~ /^\// { print $3; exit }
        $1 ~ "/" name "$" { print $1; exit }')
    [[ -n $library ]] || { missing="$missing $name"; continue; }
    owner=$(dpkg -S "$library" 2>/dev/null || dpkg -S "$(realpath "$library")" 2>/dev/null \
        || dpkg -S "${library#/usr}" 2>/dev/null || true)
    if [[ -z $owner ]]; then missing="$missing $library"; continue; fi
    package=${owner%%:*}
    package=${package%%,*}
    upstream=$(dpkg-query -W -f='${Version}' "$package" | sed -e 's/-[^-]*$//' -e 's/^[0-9]*://')
    case ",$depends," in *", $package ("*) ;; *) depends="$depends, $package (>= $upstream)" ;; esac
done
if [[ -n $missing ]]; then
    echo "build-deb: libraries no Debian package provides:$missing" >&2
    [[ ${STRICT:-0} == 1 ]] && exit 1
fi

install -d "$root/DEBIAN"
install -m 0755 "$here/packaging/debian/postinst" "$here/packaging/debian/postrm" "$root/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: hatif-import
Version: $version
Architecture: $arch
Maintainer: hatif-import developers <hatif-import@users.noreply.github.com>
Installed-Size: $size
Depends: $depends
Section: utils
Priority: optional
Homepage: https://github.com/hatif-import/hatif-import
Description: bulk contact loader for the Hatif (Voxa) contacts API
 hatif-import moves contacts from CSV, vCard and XML exports into Hatif:
 it maps columns onto contact fields and properties, normalises phones,
 finds existing contacts, creates and updates them in bulk, resumes after
 any interruption and undoes a run. A dry run shows every change first.
 .
 The package runs nightly jobs with systemd: hatif-import@JOB.timer starts
 hatif-import@JOB.service, which imports with /etc/hatif-import/JOB.yml.
CONTROL

mkdir -p "$out"
deb="$out/hatif-import_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"$compression" --build "$root" "$deb" >/dev/null
echo "$deb"
