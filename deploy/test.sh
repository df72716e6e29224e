#!/usr/bin/env bash
# `npm test`: obtains the real servers' binaries if missing, lints, type-checks and runs every test against
# real servers (Temporal dev server, time-skipping test server, PostgreSQL, SMTP).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/vitest ] || npm install --no-audit --no-fund
bash deploy/ensure-tools.sh --test-server >/dev/null
echo "== lint"; node_modules/.bin/eslint .
echo "== typecheck"; node_modules/.bin/tsc --noEmit -p tsconfig.json
echo "== tests"; node_modules/.bin/vitest run "$@"
