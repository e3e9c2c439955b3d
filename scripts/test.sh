#!/usr/bin/env bash
# Quick start, part 2: install whatever is missing and run every test — unit specs, HTTP
# e2e specs on fresh SQLite files, browser specs in Debian's Chromium, and the HTTP e2e and
# browser specs again on PostgreSQL (Debian's server, a throw-away cluster started and stopped here).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-env.sh"
cd "$ROOT"
log "type-checking (src, test, bench)"
npx tsc -p tsconfig.json --noEmit
mkdir -p test-artifacts
status=0
# Unit and HTTP specs first, two at a time; then the browser specs on their own, so Chromium
# does not compete with the e2e specs for the two cores.
NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects unit e2e --maxWorkers=2 --passWithNoTests --json --outputFile=test-artifacts/jest-results.json "$@" || status=$?
NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects browser --runInBand --passWithNoTests --json --outputFile=test-artifacts/jest-browser-results.json "$@" || status=$?
source "$ROOT/scripts/postgres.sh"
start_test_postgres
log "the HTTP and browser specs again, on PostgreSQL ($TIANPING_TEST_POSTGRES)"
NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects e2e --maxWorkers=2 --passWithNoTests --json --outputFile=test-artifacts/jest-postgres-results.json "$@" || status=$?
NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects browser --runInBand --passWithNoTests --json --outputFile=test-artifacts/jest-postgres-browser-results.json "$@" || status=$?
stop_test_postgres
# One plain closing line that any CI can read.
node -e '
  const runs = ["./test-artifacts/jest-results.json", "./test-artifacts/jest-browser-results.json", "./test-artifacts/jest-postgres-results.json", "./test-artifacts/jest-postgres-browser-results.json"].map((f) => { try { return require(f); } catch { return null; } });
  const sum = (k) => runs.reduce((n, r) => n + (r ? r[k] : 0), 0);
  const missing = runs.filter((r) => !r).length;
  console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests") + sum("numRuntimeErrorTestSuites") + missing} failed, ${sum("numPendingTests")} skipped`);
' || true
exit $status
