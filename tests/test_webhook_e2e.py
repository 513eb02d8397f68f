"""Webhook mode end to end: the real `briefbot run --webhook` process behind a secret token."""

from __future__ import annotations

import json
import shutil
import socket
import time
from pathlib import Path

import httpx
from bot_process import TOKEN, BotProcess
from fake_telegram import FakeTelegram

SECRET = "webhook-secret-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_webhook_receives_updates_and_checks_the_secret(
    tmp_path: Path, sample_db: Path, fake_telegram: FakeTelegram
) -> None:
    db = tmp_path / "bot.db"
    shutil.copy(sample_db, db)
    port = free_port()
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake_telegram.base_url,
        "BRIEFBOT_DB": str(db),
        "BRIEFBOT_WEBHOOK_SECRET": SECRET,
    }
    args = [
        "run",
        "--webhook",
        "https://bot.example.test/hook",
        "--listen",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with BotProcess(tmp_path, env, args) as proc:
        [hook] = fake_telegram.wait_for("setWebhook", timeout=120)
        assert hook["params"]["url"].startswith("https://bot.example.test/hook/")
        assert hook["params"]["secret_token"] == SECRET
        path = hook["params"]["url"].removeprefix("https://bot.example.test")
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": 321, "type": "private", "first_name": "T"},
                "from": {"id": 321, "is_bot": False, "first_name": "T"},
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        url = f"http://127.0.0.1:{port}{path}"
        deadline = time.monotonic() + 20
        while True:  # the webhook server may need a moment after setWebhook
            try:
                wrong = httpx.post(
                    url,
                    content=json.dumps(update),
                    headers={
                        "Content-Type": "application/json",
                        "X-Telegram-Bot-Api-Secret-Token": "wrong",
                    },
                    timeout=5,
                )
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, proc.log[-2000:]
                time.sleep(0.2)
        assert wrong.status_code == 403
        ok = httpx.post(
            url,
            content=json.dumps(update),
            headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
            timeout=5,
        )
        assert ok.status_code == 200
        fake_telegram.wait_for(
            lambda c: c["method"] == "sendMessage" and "/brief" in str(c["params"].get("text")),
            timeout=20,
        )
        assert len(fake_telegram.sent_messages(321)) == 1
    assert TOKEN not in proc.log and SECRET not in proc.log
