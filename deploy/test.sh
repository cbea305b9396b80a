#!/usr/bin/env bash
# The test command: install what is missing, build, run the whole suite.
# Exits non-zero when any test fails. CI (.ci/run) runs exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh"
"$root/deploy/build.sh" test
cd "$root/build-test"
ctest --output-on-failure -j "${HUB_JOBS:-2}" --timeout 300
