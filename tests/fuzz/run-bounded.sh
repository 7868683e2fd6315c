#!/usr/bin/env bash
# The test suite's bounded fuzzing run: builds the libFuzzer targets with clang in their own
# build directory and runs each for a few seconds from its seed corpus (tools/fuzz --bounded).
# Skipped (exit 77) only when clang or its libFuzzer runtime is not installed.
# Usage: run-bounded.sh SOURCE_ROOT FUZZ_BUILD_DIR
set -euo pipefail

top=$1
build=$2

if ! command -v clang >/dev/null; then
  echo "clang is not installed: skipping the fuzz targets"
  exit 77
fi

# libFuzzer comes with Debian's libclang-rt-14-dev, which clang only recommends.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput (const uint8_t *d, size_t n) { return 0; }\n' \
  >"$probe/probe.c"
if ! clang -fsanitize=fuzzer,address "$probe/probe.c" -o "$probe/probe" 2>/dev/null; then
  echo "clang cannot link libFuzzer (libclang-rt-14-dev missing?): skipping the fuzz targets"
  exit 77
fi

KAC_FUZZ_BUILD_DIR=$build exec "$top/tools/fuzz" --bounded "${KAC_FUZZ_SECONDS:-3}"
