#!/usr/bin/env bash
# Side-by-side comparison of rased with Python peers on the same inputs, in one run.
#
#   bench/compare/run.sh [compare.py options]     e.g. --runs 5 --articles 2000
#
# Creates bench/.venv (python3 -m venv), installs the peers pinned below, builds the rased
# release binary, then runs compare.py, which prints a Markdown table and writes it to
# bench/results/compare.md (plus compare.json). A peer that fails to install or import is
# reported as missing; the run goes on.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/bench/.venv"
cd "$ROOT"

# The peers, pinned. camel-tools is installed without its (heavy: torch, transformers)
# dependencies: only its pure-Python utilities (dediac, normalize) are used, which need emoji.
PEERS=(
  "trafilatura==2.3.1"
  "readability-lxml==0.9"
  "lxml_html_clean==0.4.6"
  "htmldate==1.11.0"
  "pyarabic==0.6.15"
  "PyStemmer==3.1.0"
  "arabic-norm==0.1.0"
  "arabic-normalize==0.1.0"
  "nltk==3.10.4"
  "emoji==2.16.0"
  "matplotlib==3.11.2"
)
NODEPS=("camel-tools==1.6.0")

if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -m venv "$VENV"; then
    echo "python3 -m venv failed; on Debian/Ubuntu: apt-get install -y python3-venv" >&2
    exit 2
  fi
fi
PIP=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
# One at a time, so that one peer failing does not stop the others.
for p in "${PEERS[@]}"; do
  "${PIP[@]}" "$p" || echo "warning: could not install $p (it will be reported as missing)" >&2
done
for p in "${NODEPS[@]}"; do
  "${PIP[@]}" --no-deps "$p" || echo "warning: could not install $p --no-deps" >&2
done

# RASED=/path/to/rased skips the build and uses that binary.
if [ -z "${RASED:-}" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
  cargo build --release -p rased --quiet
  RASED="$CARGO_TARGET_DIR/release/rased"
fi

exec "$VENV/bin/python" "$ROOT/bench/compare/compare.py" --rased "$RASED" "$@"
