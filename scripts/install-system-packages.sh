#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need (libxml2, libphonenumber, libsqlite3,
# pkg-config; python3 and curl for the chaos test; postgresql for the PostgreSQL run-state tests) when they
# are missing.
# Uses apt-get directly as root, sudo -n otherwise; says what to run when neither is possible.
set -euo pipefail

packages=(libxml2-dev libphonenumber-dev libsqlite3-dev sqlite3 pkg-config python3 curl postgresql)
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libxml-2.0; then missing+=(libxml2-dev); fi
[ -f /usr/include/phonenumbers/phonenumberutil.h ] || missing+=(libphonenumber-dev)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
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
