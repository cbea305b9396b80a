#!/usr/bin/env bash
# Configures and builds the hub. Usage: deploy/build.sh release|test
#   release -> build/       optimised, no tests (what deploy/run.sh starts)
#   test    -> build-test/  warnings as errors, fail points compiled in, tests and benchmarks
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-release}
jobs=${HUB_JOBS:-2}

launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
generator=(-G "Unix Makefiles")
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi

case "$kind" in
  release)
    dir="$root/build"
    flags=(-DCMAKE_BUILD_TYPE=Release -DHUB_BUILD_TESTS=OFF -DHUB_BUILD_BENCHMARKS=OFF)
    ;;
  test)
    dir="$root/build-test"
    # -O1 keeps the many test binaries quick to compile while the end-to-end
    # and crash tests still run at a realistic speed.
    flags=(-DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=-O1" -DHUB_WERROR=ON -DHUB_FAILPOINTS=ON
           -DHUB_BUILD_TESTS=ON -DHUB_BUILD_BENCHMARKS=ON)
    ;;
  *)
    echo "usage: $0 release|test" >&2
    exit 2
    ;;
esac

cmake -S "$root" -B "$dir" "${generator[@]}" "${launcher[@]}" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$jobs"
echo "build: $kind build ready in $dir"
