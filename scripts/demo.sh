#!/usr/bin/env bash
# Quick start, part 1: install whatever is missing, load the demo city, start the service
# on http://localhost:3000 (PORT to change). Ctrl-C stops it; running it again keeps the data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-env.sh"
cd "$ROOT"
node dist/src/cli.js seed-demo
log "starting on http://localhost:${PORT:-3000} — demo accounts are listed in README.md"
exec node dist/src/main.js
