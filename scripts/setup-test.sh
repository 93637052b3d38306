#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine: the browser and CJK fonts
# for the end-to-end UI tests (apt), the CPU build of torch from the local disk (never a CUDA
# build), and the package with its test and sentence-transformers extras.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
# torch first and pinned: any other spec pulls a multi-GB CUDA build.
python -m pip install -q "torch==2.13.0"
python -m pip install -q -e ".[test,st,st-test]" "torch==2.13.0"
