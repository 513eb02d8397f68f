"""What every CLI command shares: settings from env/.env (the only place that reads .env),
logging, the store, printing and one-line errors."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dotenv import dotenv_values, find_dotenv

from bot.config import Settings

if TYPE_CHECKING:
    from bot.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def load_settings() -> Settings:
    """Settings from the environment, with .env (found from the working directory up) underneath."""
    env: dict[str, str] = {}
    path = find_dotenv(usecwd=True)
    if path:
        env.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    env.update(os.environ)
    return Settings.from_env(env)


def configure_logging(level: str) -> None:
    """Log to stderr; keep httpx quiet (its request lines contain the bot token)."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def open_store(db_path: str) -> Store:
    """The store, imported here so that commands which need no database start fast (bot.store
    imports sqlite-utils with numpy hidden: see bot/store/db.py)."""
    from bot.store import Store

    return Store(db_path)


def emit(data: object, as_json: bool, human: str) -> None:
    """Print ``data`` as JSON or the ``human`` text."""
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(human)


def fail(message: str, code: int = 2) -> int:
    """A one-line error on stderr; the exit code to return."""
    print(f"briefbot: {message}", file=sys.stderr)
    return code
