#!/usr/bin/env bash
# Quick start, part 2: install whatever is missing and run every test — unit specs, HTTP
# e2e specs on fresh SQLite files, and browser specs in Debian's Chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-env.sh"
cd "$ROOT"
log "type-checking (src, test, bench)"
npx tsc -p tsconfig.json --noEmit
mkdir -p test-artifacts
status=0
NODE_OPTIONS=--experimental-vm-modules npx jest --maxWorkers=2 --json --outputFile=test-artifacts/jest-results.json "$@" || status=$?
# One plain closing line that any CI can read.
node -e '
  const r = require("./test-artifacts/jest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed, ${r.numPendingTests} skipped`);
' || true
exit $status
