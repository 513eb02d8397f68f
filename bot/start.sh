#!/usr/bin/env bash
# Set up (a virtual environment in .venv with briefbot installed) and run the main job:
# the Telegram bot when TELEGRAM_BOT_TOKEN is configured, else the local console on our
# sample articles. Usage: bash bot/start.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${BRIEFBOT_VENV:-.venv}"
# (Re)install when the venv is new or pyproject.toml changed since the last install.
if [ ! -x "$VENV/bin/briefbot" ] || [ pyproject.toml -nt "$VENV/.installed" ]; then
  [ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q -U pip
  "$VENV/bin/python" -m pip install -q -e .
  touch "$VENV/.installed"
fi
exec "$VENV/bin/briefbot" start "$@"
