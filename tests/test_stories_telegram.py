"""/merge and /split over Telegram: the real `briefbot run` process against the fake Bot API."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bot_process import TOKEN, BotProcess
from fake_telegram import FakeTelegram, default_menu_set

from bot.store import Store

ADMIN = 601
USER = 877


@pytest.fixture
def mend_bot(
    tmp_path: Path, sample_db: Path, fake_telegram: FakeTelegram
) -> Iterator[tuple[BotProcess, Path]]:
    db = tmp_path / "bot.db"
    shutil.copy(sample_db, db)
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake_telegram.base_url,
        "BRIEFBOT_DB": str(db),
        "BRIEFBOT_ADMINS": str(ADMIN),
    }
    proc = BotProcess(tmp_path, env).start()
    try:
        fake_telegram.wait_for(default_menu_set, timeout=120)
        yield proc, db
    finally:
        assert proc.stop() == 0, proc.log[-3000:]


def ask(fake: FakeTelegram, text: str, chat_id: int) -> str:
    """Send a command and return the text of the bot's answer in that chat."""
    before = len(fake.sent_messages(chat_id))
    fake.push_message(chat_id, text)
    fake.wait_for(lambda c: len(fake.sent_messages(chat_id)) > before, timeout=30)
    time.sleep(0.3)  # a split reply arrives as several messages
    return "\n".join(str(m["text"]) for m in fake.sent_messages(chat_id)[before:])


def test_merge_and_split_over_telegram_are_admin_only(
    mend_bot: tuple[BotProcess, Path], fake_telegram: FakeTelegram
) -> None:
    _, db = mend_bot
    with Store(db) as store:
        first, second = sorted(s.id for s in store.stories())[:2]
        moved = store.stories()[0].article_ids[0]
        home = store.stories()[0].id
    assert "only the bot's admins" in ask(fake_telegram, f"/merge {first} {second}", USER)
    assert "only the bot's admins" in ask(fake_telegram, f"/split {home} {moved}", USER)
    assert "Usage: /merge A B" in ask(fake_telegram, "/merge 1", ADMIN)
    merged = ask(fake_telegram, f"/merge {first} {second}", ADMIN)
    assert f"Merged story #{second} into #{first}" in merged
    with Store(db) as store:
        assert store.story(second) is None
    if home == second:
        home = first
    split = ask(fake_telegram, f"/split {home} {moved}", ADMIN)
    assert f"Article {moved} left story #{home}" in split
    with Store(db) as store:
        assert any(s.article_ids == (moved,) for s in store.stories())
