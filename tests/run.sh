#!/usr/bin/env bash
# Set up a fresh test virtual environment and run the whole check: ruff, mypy, pytest.
# Usage: bash tests/run.sh [pytest args...]
#
# Needs only python3 (with venv and pip). The installer is uv when it can be had: it is installed
# once into a small tools venv ($BRIEFBOT_TOOLS_VENV, default .venv-tools/, reused between runs)
# and makes the fresh test venv in seconds from its cache. Without uv (no wheel for the platform,
# no network for it) the script falls back to plain pip. BRIEFBOT_INSTALLER=pip forces pip.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${BRIEFBOT_TEST_VENV:-.venv-test}"
TOOLS="${BRIEFBOT_TOOLS_VENV:-.venv-tools}"
PY="$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)')"
SECONDS=0
# Keep compiled bytecode: without it every `briefbot` process the tests start compiles NLTK,
# numpy and the rest again (seconds each); the venv is fresh, so nothing stale can be cached.
unset PYTHONDONTWRITEBYTECODE

uv_ready() { [ -x "$TOOLS/bin/uv" ] && "$TOOLS/bin/uv" --version >/dev/null 2>&1; }

if [ "${BRIEFBOT_INSTALLER:-uv}" = uv ] && ! uv_ready; then
    rm -rf "$TOOLS"
    if ! { "$PY" -m venv "$TOOLS" && "$TOOLS/bin/python" -m pip install -q uv; }; then
        echo "tests/run.sh: could not install uv; using pip" >&2
    fi
fi

rm -rf "$VENV"
if [ "${BRIEFBOT_INSTALLER:-uv}" = uv ] && uv_ready; then
    "$TOOLS/bin/uv" venv -q --python "$PY" "$VENV"
    "$TOOLS/bin/uv" pip install -q --python "$VENV/bin/python" -e ".[test]"
else
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q -U pip
    "$VENV/bin/python" -m pip install -q -e ".[test]"
fi
echo "== environment ready in ${SECONDS}s"

echo "== ruff"; "$VENV/bin/ruff" check bot summarizer tests bench
# mypy starts from an empty cache in a fresh clone (about 16 s of CPU on one core); it runs beside
# pytest, whose workers often wait on processes and sockets, and its report is printed after.
MYPY_LOG="$(mktemp)"
trap 'rm -f "$MYPY_LOG"' EXIT
"$VENV/bin/mypy" >"$MYPY_LOG" 2>&1 &
MYPY_PID=$!
echo "== pytest (mypy runs beside it)"
# Two workers (pytest-xdist) on the 2-core machines this runs on: tests use free ports and their
# own temp dirs. Work stealing lets the worker that finishes first take tests from the other, so
# both end together. BRIEFBOT_TEST_WORKERS=0: one process.
WORKERS="${BRIEFBOT_TEST_WORKERS:-2}"
PARALLEL=()
if [ "$WORKERS" != 0 ]; then PARALLEL=(-n "$WORKERS" --dist worksteal); fi
set +e
"$VENV/bin/python" -m pytest "${PARALLEL[@]}" "$@"
rc=$?
wait "$MYPY_PID"
mypy_rc=$?
set -e
echo "== mypy"; cat "$MYPY_LOG"
echo "== done in ${SECONDS}s"
if [ "$rc" -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
exit "$mypy_rc"
