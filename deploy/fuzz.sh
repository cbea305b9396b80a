#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (clang, ASan + UBSan) in build-fuzz/
# and runs one of them for real. Usage:
#   deploy/fuzz.sh TARGET SECONDS [libFuzzer option...]   e.g. deploy/fuzz.sh cron_expression 600 -jobs=2
# New inputs collect in build-fuzz/corpus/TARGET (seeded from fuzz/corpus/TARGET
# and fuzz/crashers/TARGET, which are only read); a crash, leak or slow input
# (over 1 s) is written to build-fuzz/artifacts/TARGET/. fuzz/README.md says
# what to do with one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if (($# < 2)); then
  echo "usage: $0 TARGET SECONDS [libFuzzer option...]" >&2
  echo "targets: $(cd "$root/fuzz/corpus" && echo *)" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2
if [[ ! -f "$root/fuzz/$target.cpp" ]]; then
  echo "fuzz: no target '$target'; targets: $(cd "$root/fuzz/corpus" && echo *)" >&2
  exit 2
fi

"$root/deploy/install-deps.sh" clang-14 libfuzzer-14-dev libclang-rt-14-dev

cxx=clang++-14
command -v "$cxx" >/dev/null 2>&1 || cxx=clang++
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
generator=(-G "Unix Makefiles")
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi

dir="$root/build-fuzz"
mkdir -p "$dir"
# One build at a time in build-fuzz/, so two targets can be started side by side.
(
  flock 9
  # -O1 -g: fast enough to fuzz, with line numbers in the sanitizers' reports.
  cmake -S "$root" -B "$dir" "${generator[@]}" "${launcher[@]}" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=-O1 -g" -DHUB_FUZZ=ON \
    -DHUB_BUILD_TESTS=OFF -DHUB_BUILD_BENCHMARKS=OFF >/dev/null
  nice -n 19 cmake --build "$dir" -j "${HUB_JOBS:-2}" --target "fuzz_$target"
) 9>"$dir/.build.lock"

work="$dir/corpus/$target"
artifacts="$dir/artifacts/$target"
mkdir -p "$work" "$artifacts"
# -timeout=1 and the memory limit are R11's: no input may take a second.
exec nice -n 19 "$dir/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" \
  "$work" "$root/fuzz/corpus/$target" "$root/fuzz/crashers/$target"
