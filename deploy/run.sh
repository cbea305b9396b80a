#!/usr/bin/env bash
# The run command: install what is missing, build, and start the hub on its
# embedded default (an SQLite file under ./data) with the example landscape.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh"
"$root/deploy/build.sh" release
exec "$root/deploy/landscape.sh" "$root/build"
