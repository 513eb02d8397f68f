"""`python -m bot` and the `briefbot` script: the CLI lives in bot/cli/."""

from __future__ import annotations

import sys

from bot.cli.main import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
