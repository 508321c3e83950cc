#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need (libxml2, zlib, libphonenumber, libsqlite3,
# pkg-config; python3 and curl for the chaos test; postgresql for the PostgreSQL run-state tests; systemd,
# man-db and binutils for the package tests: systemd-analyze verify, man -l, readelf) when they are
# missing, and the Python package prometheus_client (the metrics file test parses with it) from PyPI.
# Uses apt-get directly as root, sudo -n otherwise; says what to run when neither is possible.
set -euo pipefail

packages=(libxml2-dev zlib1g-dev libphonenumber-dev libsqlite3-dev sqlite3 pkg-config python3 curl postgresql systemd man-db binutils)
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import prometheus_client' 2>/dev/null; then
  echo "Installing the Python package prometheus_client (for the metrics file test)"
  python3 -m pip install --quiet prometheus_client || echo "warning: could not install prometheus_client: pip install prometheus_client" >&2
fi
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libxml-2.0; then missing+=(libxml2-dev); fi
[ -f /usr/include/phonenumbers/phonenumberutil.h ] || missing+=(libphonenumber-dev)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v man >/dev/null 2>&1 || missing+=(man-db)
command -v readelf >/dev/null 2>&1 || missing+=(binutils)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt=(sudo apt-get)
else
  echo "error: cannot install ${missing[*]} without root. Run: sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
