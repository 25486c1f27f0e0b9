#!/usr/bin/env bash
# Installs what `npm start` or `npm test` needs on a fresh Debian machine, and nothing twice:
#   test:  Debian's chromium, postgresql and fonts-noto-core, then node_modules
#   start: node_modules
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"

missing=()
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  # Screenshots are compared pixel by pixel: every machine renders the UI with the same font.
  [ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || missing+=(fonts-noto-core)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  else
    echo "Missing ${missing[*]}: run 'apt-get install -y ${missing[*]}' as root, then try again." >&2
    exit 1
  fi
fi

# npm writes node_modules/.package-lock.json at the end of every install: when it is older than the
# lockfile (or absent), the installed tree does not match the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
