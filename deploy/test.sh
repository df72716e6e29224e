#!/usr/bin/env bash
# `npm test`: obtains the real servers' binaries if missing, lints, type-checks and runs every test against
# real servers (Temporal dev server, time-skipping test server, PostgreSQL, SMTP).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/vitest ] || npm ci --no-audit --no-fund
bash deploy/ensure-tools.sh --test-server --browser >/dev/null
step_start() { step_t0=$(date +%s); echo "== $1"; }
step_end() { echo "   ($1: $(( $(date +%s) - step_t0 )) s)"; }
step_start lint; node_modules/.bin/eslint .; step_end lint
step_start typecheck; node_modules/.bin/tsc --noEmit -p tsconfig.json; step_end typecheck
step_start tests
# The verdict comes from vitest's JSON report, not its exit code: embedded-postgres installs an exit hook
# (async-exit-hook) in the process that started it, which ends vitest with status 0 even when tests failed.
report=$(mktemp)
set +e
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
code=$?
set -e
step_end tests
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const failedFiles = r.testResults.filter((t) => t.status !== "passed").length;
  // Time per vitest project (see vitest.config.ts): the sum of the durations of its files, which run one after another
  // except in the unit project, whose files share both cores.
  const projectOf = (f) => /\/test\/procedures\/replay\.test\.ts$|\/test\/workflows\//.test(f) ? "workflow" : /\/test\/deploy\/startStop\.test\.ts$/.test(f) ? "integration" : /\/test\/(domain|deploy|api|activities|lint)\//.test(f) ? "unit" : /\/test\/procedures\//.test(f) ? "calendar" : /\/test\/browser\//.test(f) ? "browser" : "integration";
  const per = {};
  for (const t of r.testResults) {
    const p = projectOf(t.name);
    per[p] ??= { files: 0, tests: 0, ms: 0, first: Infinity, last: 0 };
    per[p].files++; per[p].tests += t.assertionResults.length; per[p].ms += t.endTime - t.startTime;
    per[p].first = Math.min(per[p].first, t.startTime); per[p].last = Math.max(per[p].last, t.endTime);
  }
  for (const [p, v] of Object.entries(per)) console.log(`   ${p}: ${v.files} files, ${v.tests} tests, ${Math.round(v.ms / 1000)} s in files, ${Math.round((v.last - v.first) / 1000)} s wall`);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  if (!r.success || r.numFailedTests > 0 || failedFiles > 0 || r.numTotalTests === 0) process.exit(1);
' "$report" || code=1
rm -f "$report"
# Short benchmark and fault-drill runs, after the tests and timed on their own: they fail only when something is
# lost or doubled, never on time. KKR_SKIP_SMOKE=1 leaves them out (a quick local run of the tests alone).
if [ "${KKR_SKIP_SMOKE:-0}" != 1 ]; then
  step_start "benchmark (smoke)"; node_modules/.bin/tsx bench/run.ts --smoke || code=1; step_end "benchmark (smoke)"
  step_start "fault drills (smoke)"; node_modules/.bin/tsx bench/drills.ts --smoke || code=1; step_end "fault drills (smoke)"
fi
exit "$code"
