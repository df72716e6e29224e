#!/usr/bin/env bash
# `npm start`: installs what is missing, then starts the whole system on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[start] installing npm packages as locked (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
bash deploy/ensure-tools.sh >/dev/null
# node with tsx as its loader, not the tsx wrapper (which runs the program in a child of its own): the process a
# supervisor signals is then the one that stops what it started.
exec node --import tsx deploy/start.ts "$@"
