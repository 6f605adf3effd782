#!/usr/bin/env bash
# OS packages: installed with apt-get when missing and we are root, otherwise we say exactly
# what to install. Without arguments: the libraries WeasyPrint needs; `make test` asks for
# poppler-utils, `make bench` for wrk, `make faults` for redis-server, `make multihost` for
# haproxy, wrk and redis-server.
set -euo pipefail
packages=("$@")
[ ${#packages[@]} -eq 0 ] && packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing OS packages: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}"
else
  echo "These OS packages are needed; install them first:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
