"""End to end: the real `briefbot run` process against a fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bot_process import TOKEN, BotProcess
from corpus import write_lighthouse
from fake_telegram import FakeTelegram, default_menu_set, parse_html

from bot.chat.commands import COMMANDS
from bot.chat.views import refresh_dirty
from bot.sources.ingest import ingest_paths
from bot.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "bot" / "samples"
ADMIN = 501
USER = 777


@pytest.fixture
def bot_db(tmp_path: Path, sample_db: Path) -> Path:
    """A per-test copy of the sample database."""
    db = tmp_path / "bot.db"
    shutil.copy(sample_db, db)
    return db


@pytest.fixture
def bot(tmp_path: Path, bot_db: Path, fake_telegram: FakeTelegram) -> Iterator[BotProcess]:
    db = bot_db
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake_telegram.base_url,
        "BRIEFBOT_DB": str(db),
        "BRIEFBOT_ADMINS": str(ADMIN),
        "BRIEFBOT_LOG_LEVEL": "DEBUG",
    }
    proc = BotProcess(tmp_path, env).start()
    try:
        fake_telegram.wait_for(default_menu_set, timeout=120)
        yield proc
    finally:
        code = proc.stop()
        assert TOKEN not in proc.log, "the token leaked into the logs"
        assert code == 0, proc.log[-3000:]


def ask(fake: FakeTelegram, text: str, chat_id: int = USER, **kw: object) -> list[dict[str, object]]:
    """Send a message and wait for the bot's answer(s) in that chat."""
    before = len(fake.sent_messages(chat_id))
    fake.push_message(chat_id, text, **kw)  # type: ignore[arg-type]
    fake.wait_for(lambda c: len(fake.sent_messages(chat_id)) > before, timeout=20)
    time.sleep(0.3)  # a split reply arrives as several messages
    return fake.sent_messages(chat_id)[before:]


def last_bot_message_id(fake: FakeTelegram, chat_id: int) -> int:
    """The id of the newest message the bot sent to a chat."""
    ids = [
        mid
        for mid in range(1, 500)
        if (m := fake.message(chat_id, mid)) and m.get("from", {}).get("is_bot")
    ]
    assert ids
    return max(ids)


def button_data(msg: dict[str, object]) -> list[str]:
    markup = msg.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [
        b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row if "callback_data" in b
    ]


def test_start_help_and_registered_commands(bot: BotProcess, fake_telegram: FakeTelegram) -> None:
    calls = fake_telegram.calls_of("setMyCommands")
    by_scope = {str(c["params"].get("scope", {}).get("type", "default")): c["params"] for c in calls}
    everyone = {c["command"] for c in by_scope["default"]["commands"]}
    assert everyone == {c.name for c in COMMANDS if not c.admin}
    # The admin's own chat lists the admin commands too (BotCommandScopeChat).
    admin_menu = by_scope["chat"]
    assert admin_menu["scope"]["chat_id"] == ADMIN
    assert {c["command"] for c in admin_menu["commands"]} == {c.name for c in COMMANDS}
    [start] = ask(fake_telegram, "/start")
    assert "stories" in str(start["text"])
    [help_] = ask(fake_telegram, "/help")
    for c in COMMANDS:
        if not c.admin:
            assert f"/{c.name}" in str(help_["text"]), c.name
    [admin_help] = ask(fake_telegram, "/help", chat_id=ADMIN)
    assert "/add" in str(admin_help["text"]) and "/feeds" in str(admin_help["text"])


def test_stories_brief_and_view_buttons(bot: BotProcess, fake_telegram: FakeTelegram) -> None:
    [stories] = ask(fake_telegram, "/stories")
    assert stories["parse_mode"] == "HTML"  # PTB Defaults: HTML, no link previews
    assert stories["link_preview_options"] == {"is_disabled": True}
    data = button_data(stories)
    assert len([d for d in data if d.startswith("/brief ")]) == 4
    [brief] = ask(fake_telegram, "/brief")
    assert "—" in str(brief["text"]) and "outlets" in str(brief["text"])
    assert [d.split()[0] for d in button_data(brief)] == ["/brief", "/quotes", "/sources", "/follow"]
    # Pressing "Quotes" edits the same message in place.
    mid = last_bot_message_id(fake_telegram, USER)
    quotes_button = next(d for d in button_data(brief) if d.startswith("/quotes"))
    fake_telegram.push_callback(USER, mid, quotes_button, user_id=USER)
    [edit] = fake_telegram.wait_for("editMessageText", timeout=20)
    assert edit["params"]["message_id"] == mid
    assert "“" in edit["params"]["text"]
    fake_telegram.wait_for("answerCallbackQuery", timeout=10)


def test_search_words_and_pick(bot: BotProcess, fake_telegram: FakeTelegram) -> None:
    [reply] = ask(fake_telegram, "/brief storm")
    assert "—" in str(reply["text"])
    [nothing] = ask(fake_telegram, '/quotes "zzqx U.S.-Russia Trump\'s')
    assert "No story matches" in str(nothing["text"])
    [search] = ask(fake_telegram, "/search bank")
    assert "/brief" in " ".join(button_data(search))


def test_html_in_titles_is_escaped(bot: BotProcess, fake_telegram: FakeTelegram) -> None:
    [found] = ask(fake_telegram, "/sources rates borrowers")
    text = str(found["text"])
    assert "&lt;what&gt;" in text and "&amp;" in text
    assert "<what>" not in text


def test_unknown_commands_and_bad_arguments_get_hints(bot: BotProcess, fake_telegram: FakeTelegram) -> None:
    [unknown] = ask(fake_telegram, "/frobnicate now")
    assert "Unknown command" in str(unknown["text"]) and "/help" in str(unknown["text"])
    [bad] = ask(fake_telegram, "/stories banana")
    assert "Usage: /stories" in str(bad["text"])
    [missing] = ask(fake_telegram, "/brief #99999")
    assert "no story #99999" in str(missing["text"])


def test_group_chat_commands_addressed_to_the_bot(bot: BotProcess, fake_telegram: FakeTelegram) -> None:
    group = -100200
    [reply] = ask(fake_telegram, "/brief@briefbot_test_bot", chat_id=group, chat_type="group")
    assert "—" in str(reply["text"])
    before = len(fake_telegram.sent_messages(group))
    fake_telegram.push_message(group, "/brief@some_other_bot", chat_type="group")
    ask(fake_telegram, "/help@briefbot_test_bot", chat_id=group, chat_type="group")
    assert len(fake_telegram.sent_messages(group)) == before + 1


def test_admin_upload_and_refusals(bot: BotProcess, fake_telegram: FakeTelegram) -> None:
    body = (
        "Harbour ferry strike ends after nine days\n\nBy Rosa Quint\n\n"
        + "Ferry crews in Port Calloway returned to work on Friday after a nine-day strike over "
        "night-shift pay ended with a deal that raises wages by six percent, the crews' union said.\n\n"
        + "“We got what we came for,” said union organiser Dario Pell. The harbour authority said "
        "full timetables would return on Saturday morning, after inspections of the two oldest boats.\n\n"
        + "Commuters had faced waits of up to two hours during the strike, and the city ran extra buses "
        "across the old bridge to move about 9,000 people a day between the port and the east shore."
    ).encode()
    fake_telegram.add_file("doc-1", body, file_path="documents/ferry.txt")
    doc = {"file_id": "doc-1", "file_name": "ferry.txt", "mime_type": "text/plain"}
    [refused] = ask(fake_telegram, None, chat_id=USER, document=doc)  # type: ignore[arg-type]
    assert "only the bot's admins" in str(refused["text"])
    [added] = ask(fake_telegram, None, chat_id=ADMIN, document=doc)  # type: ignore[arg-type]
    assert "Added" in str(added["text"]) and "Story" in str(added["text"])
    [no_add] = ask(fake_telegram, "/add https://example.test/x")
    assert "only the bot's admins" in str(no_add["text"])
    [junk_name] = ask(fake_telegram, None, chat_id=ADMIN, document={"file_id": "doc-1", "file_name": "x.exe"})  # type: ignore[arg-type]
    assert ".txt, .md and .html" in str(junk_name["text"])


@pytest.fixture
def big_story_db(bot_db: Path, tmp_path: Path) -> Path:
    """The sample database plus one story covered by 30 articles."""
    with Store(bot_db) as store:
        report = ingest_paths(store, [str(p) for p in write_lighthouse(tmp_path / "lh", 30)])
        assert not report.errors and len({i.story_id for i in report.ingested}) == 1
        refresh_dirty(store)
    return bot_db


def press(fake: FakeTelegram, chat_id: int, message_id: int, data: str) -> dict[str, Any]:
    """Press a button on a message and wait for the edit it causes."""
    before = len(fake.calls_of("editMessageText"))
    fake.push_callback(chat_id, message_id, data, user_id=chat_id)
    fake.wait_for(lambda c: len(fake.calls_of("editMessageText")) > before, timeout=20)
    edit = fake.calls_of("editMessageText")[before]
    assert edit["params"]["message_id"] == message_id
    return dict(edit["params"])


def test_long_view_is_paged_in_place_and_back_returns_to_the_list(
    big_story_db: Path, bot: BotProcess, fake_telegram: FakeTelegram
) -> None:
    [page1] = ask(fake_telegram, "/sources lighthouse keepers")  # one message, never a spill
    text = str(page1["text"])
    assert len(text) <= 4096 and "Page 1 of" in text
    pages = int(re.search(r"Page 1 of (\d+)", text).group(1))  # type: ignore[union-attr]
    assert pages >= 2
    nav = [d for d in button_data(page1) if "|p" in d]
    assert any(d.endswith("|p2") for d in nav)
    mid = last_bot_message_id(fake_telegram, USER)
    sent_before = len(fake_telegram.sent_messages(USER))
    page2 = press(fake_telegram, USER, mid, next(d for d in nav if d.endswith("|p2")))
    assert "Page 2 of" in page2["text"] and len(parse_html(page2["text"])) <= 4096
    html = str(page2["text"])
    assert html.count("<b>") == html.count("</b>") and html.count("<a ") == html.count("</a>")
    markup = page2["reply_markup"]
    datas = [b.get("callback_data", "") for row in markup["inline_keyboard"] for b in row]
    assert any(d.endswith("|p1") for d in datas)  # Prev
    back1 = press(fake_telegram, USER, mid, next(d for d in datas if d.endswith("|p1")))
    assert "Page 1 of" in back1["text"]
    assert len(fake_telegram.sent_messages(USER)) == sent_before  # every press edited in place

    # A story opened from /stories gets a Back button that restores the list.
    [stories] = ask(fake_telegram, "/stories")
    list_id = last_bot_message_id(fake_telegram, USER)
    first = next(d for d in button_data(stories) if d.startswith("/brief "))
    opened = press(fake_telegram, USER, list_id, first)
    rows = opened["reply_markup"]["inline_keyboard"]
    assert any(b.get("callback_data") == "/back" for row in rows for b in row)
    # Switching views keeps the way back.
    quotes = press(fake_telegram, USER, list_id, first.replace("/brief", "/quotes"))
    qrows = quotes["reply_markup"]["inline_keyboard"]
    assert any(b.get("callback_data") == "/back" for row in qrows for b in row)
    restored = press(fake_telegram, USER, list_id, "/back")
    assert "Latest stories" in parse_html(str(restored["text"]))
    assert first in [b.get("callback_data") for row in restored["reply_markup"]["inline_keyboard"] for b in row]


def test_429_is_waited_out_and_retried(bot: BotProcess, fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("sendMessage", error_code=429, retry_after=1, count=1)
    start = time.monotonic()
    [reply] = ask(fake_telegram, "/help")
    assert "/brief" in str(reply["text"])
    failed = fake_telegram.calls_of("sendMessage", ok=False)
    assert failed and failed[0]["error_code"] == 429
    ok = fake_telegram.calls_of("sendMessage", ok=True)[-1]
    assert ok["time"] - failed[0]["time"] >= 0.9
    assert time.monotonic() - start >= 0.9


def test_malformed_update_is_ignored(bot: BotProcess, fake_telegram: FakeTelegram) -> None:
    fake_telegram.push_raw({"update_id": 10_000, "message": {"this is": "not a message"}})
    fake_telegram.push_raw({"update_id": 10_001, "callback_query": {"id": "x"}})
    [reply] = ask(fake_telegram, "/help")
    assert "/brief" in str(reply["text"])


def test_sigterm_stops_quickly(tmp_path: Path, sample_db: Path, fake_telegram: FakeTelegram) -> None:
    db = tmp_path / "bot.db"
    shutil.copy(sample_db, db)
    proc = BotProcess(
        tmp_path, {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": fake_telegram.base_url, "BRIEFBOT_DB": str(db)}
    ).start()
    fake_telegram.wait_for(default_menu_set, timeout=120)
    t0 = time.monotonic()
    code = proc.stop(timeout=10)
    assert code == 0 and time.monotonic() - t0 < 10, proc.log[-3000:]
    assert TOKEN not in proc.log
    assert re.search(r"stopped", proc.log)
