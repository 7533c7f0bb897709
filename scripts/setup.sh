#!/usr/bin/env bash
# Installs everything xinan needs on a fresh Debian machine with Node 20: Debian's Chromium (for the
# end-to-end tests and the benchmark), PyTorch/ONNX/numpy (training and its tests), OpenBLAS (without
# it Debian's torch falls back to the reference BLAS and trains ~30× slower), and the npm packages
# from the lockfile. Run as root or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PKGS="chromium python3-torch python3-onnx python3-numpy libopenblas0-pthread"
missing=$(for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# onnxruntime-node's install script would try to download CUDA files; its CPU binaries ship in the package.
export ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-audit --no-fund
