#!/usr/bin/env bash
# `npm start`: installs what is missing, then starts the whole system on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[start] installing npm packages (npm install)" >&2
  npm install --no-audit --no-fund >&2
fi
bash deploy/ensure-tools.sh >/dev/null
exec node_modules/.bin/tsx deploy/start.ts "$@"
