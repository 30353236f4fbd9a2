#!/usr/bin/env bash
# Installs everything SigScope needs on Debian 12 / Ubuntu 22.04 or later
# (system packages, then npm packages) and builds it. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/setup.sh installs system packages: run it as root (sudo scripts/setup.sh)." >&2
  exit 1
fi

step() { printf '\n==> %s\n' "$*"; }

step "System packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update
packages=(
  clang llvm make gcc g++ python3 pkg-config   # the eBPF program and the native addon
  libbpf-dev libelf-dev zlib1g-dev bpftool      # libbpf, and the skeleton generator
  util-linux procps                              # setpriv, unshare, ps for the tests
  chromium                                       # the browser mode's end-to-end tests
)
command -v node >/dev/null || packages+=(nodejs npm)
apt-get install -y --no-install-recommends "${packages[@]}"

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "SigScope needs Node.js 20 or later; this machine has $(node --version)." >&2
  echo "Install a current Node.js (https://nodejs.org or your distribution's backports) and run this again." >&2
  exit 1
fi

if [ ! -r /sys/kernel/btf/vmlinux ]; then
  echo "warning: this kernel has no BTF (/sys/kernel/btf/vmlinux); SigScope can be built but not capture here." >&2
fi

step "npm packages"
# Electron's package downloads its binary at install time. Where that can't
# work (CI, no network) set ELECTRON_SKIP_BINARY_DOWNLOAD=1: everything but the
# desktop window (the CLI, the browser mode, the tests) works without it.
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

step "Build"
npm run build
step "Done"
