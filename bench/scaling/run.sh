#!/usr/bin/env bash
# Scaling: ingest time and peak memory for 1k, 10k and ~40k articles, search latency as the
# index grows. Uses the virtualenv of bench/compare/run.sh (for matplotlib) when present.
#
#   bench/scaling/run.sh [scaling.py options]    e.g. --sizes 1000,10000,40000 --runs 3
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY=python3
[ -x "$ROOT/bench/.venv/bin/python" ] && PY="$ROOT/bench/.venv/bin/python"
[ -x /usr/bin/time ] || echo "note: /usr/bin/time absent (apt-get install -y time); falling back to getrusage" >&2
if [ -z "${RASED:-}" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
  cargo build --release -p rased --quiet
  RASED="$CARGO_TARGET_DIR/release/rased"
fi
exec "$PY" "$ROOT/bench/scaling/scaling.py" --rased "$RASED" "$@"
