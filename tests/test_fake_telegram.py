"""Tests of the fake Bot API server, driven by a real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import threading
import time
from typing import Any

import httpx
import pytest
from fake_telegram import BOT_ID, BOT_USERNAME, FakeTelegram, async_wait_until, wait_until
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

TOKEN = "123456:TEST-token"
App = Application[Any, Any, Any, Any, Any, Any]


def make_bot(fake: FakeTelegram) -> Bot:
    """A plain PTB Bot pointed at the fake."""
    return Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url)


def make_app(fake: FakeTelegram) -> App:
    """A PTB Application pointed at the fake (no updater started yet)."""
    return (
        Application.builder()
        .token(TOKEN)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )


async def run_app(app: App, fake: FakeTelegram) -> None:
    """Initialize, start polling (short poll timeout) and start the application."""
    await app.initialize()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await app.start()


async def stop_app(app: App) -> None:
    """Stop polling and shut the application down."""
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()


def api(fake: FakeTelegram, method: str, **kwargs: object) -> tuple[int, dict[str, object]]:
    """A raw HTTP call to the fake (for formats PTB does not send)."""
    response = httpx.post(f"{fake.base_url}{TOKEN}/{method}", timeout=5, **kwargs)  # type: ignore[arg-type]
    return response.status_code, response.json()


async def test_get_me_and_token(fake_telegram: FakeTelegram) -> None:
    async with make_bot(fake_telegram) as bot:
        me = await bot.get_me()
    assert me.id == BOT_ID
    assert me.username == BOT_USERNAME
    assert me.is_bot
    assert fake_telegram.token_seen == TOKEN
    assert fake_telegram.base_url == f"http://127.0.0.1:{fake_telegram.port}/bot"
    assert fake_telegram.calls_of("getMe")


async def test_send_message_records_decoded_params(fake_telegram: FakeTelegram) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])
    async with make_bot(fake_telegram) as bot:
        first = await bot.send_message(
            chat_id=77, text="<b>Hi</b> &amp; 123", parse_mode="HTML", reply_markup=markup
        )
        second = await bot.send_message(chat_id=77, text="123")
        other = await bot.send_message(chat_id=78, text="x")
    assert first.text == "Hi & 123"
    assert first.reply_markup == markup
    assert first.from_user is not None and first.from_user.id == BOT_ID
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    sent = fake_telegram.sent_messages(77)
    assert [m["text"] for m in sent] == ["<b>Hi</b> &amp; 123", "123"]
    assert sent[0]["chat_id"] == 77
    assert sent[0]["reply_markup"] == {
        "inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]
    }
    assert len(fake_telegram.sent_messages()) == 3
    assert fake_telegram.message(77, 1) is not None


def test_form_json_and_multipart_bodies(fake_telegram: FakeTelegram) -> None:
    markup = json.dumps({"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]})
    status, body = api(fake_telegram, "sendMessage", data={"chat_id": "5", "text": "42"})
    assert status == 200 and body["ok"]
    status, body = api(
        fake_telegram,
        "sendMessage",
        json={"chat_id": "-100123", "text": "hello", "reply_markup": markup},
    )
    assert status == 200 and body["ok"]
    status, body = api(
        fake_telegram,
        "sendMessage",
        data={"chat_id": "6", "text": "multi"},
        files={"ignored": ("a.bin", b"\x00\xff", "application/octet-stream")},
    )
    assert status == 200 and body["ok"]
    params = [c["params"] for c in fake_telegram.calls_of("sendMessage")]
    assert params[0] == {"chat_id": 5, "text": "42"}
    assert params[1]["chat_id"] == -100123
    assert params[1]["reply_markup"]["inline_keyboard"][0][0]["text"] == "a"
    assert params[2]["ignored"]["content"] == b"\x00\xff"
    status, body = api(fake_telegram, "noSuchMethod")
    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


async def test_application_receives_command_via_get_updates(fake_telegram: FakeTelegram) -> None:
    seen: list[list[str]] = []

    async def brief(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(list(context.args or []))
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"brief {' '.join(context.args or [])}")

    app = make_app(fake_telegram)
    app.add_handler(CommandHandler("brief", brief))
    await run_app(app, fake_telegram)
    try:
        fake_telegram.push_message(7, "/brief 3")
        fake_telegram.push_message(-500, f"/brief@{BOT_USERNAME} 4", chat_type="group")
        fake_telegram.push_message(7, "/brief@other_bot 5")  # addressed to another bot
        fake_telegram.push_message(7, "no command")
        await fake_telegram.wait_for_async("sendMessage", count=2, timeout=5)
        await async_wait_until(lambda: fake_telegram.pending_updates == 0, timeout=5)
    finally:
        await stop_app(app)
    assert seen == [["3"], ["4"]]
    assert fake_telegram.sent_messages(7)[0]["text"] == "brief 3"
    assert fake_telegram.sent_messages(-500)[0]["text"] == "brief 4"


async def test_document_message_and_download(fake_telegram: FakeTelegram) -> None:
    fake_telegram.add_file("doc-1", b"article body", file_path="documents/a.txt")
    downloaded: list[bytes] = []

    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.document is not None
        tg_file = await update.message.document.get_file()
        downloaded.append(bytes(await tg_file.download_as_bytearray()))

    app = make_app(fake_telegram)
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    await run_app(app, fake_telegram)
    try:
        fake_telegram.push_message(
            9,
            document={"file_id": "doc-1", "file_name": "a.txt", "mime_type": "text/plain"},
            caption="please read",
        )
        await async_wait_until(lambda: downloaded, timeout=5)
    finally:
        await stop_app(app)
    assert downloaded == [b"article body"]


async def test_get_file_and_download_with_bot(fake_telegram: FakeTelegram) -> None:
    fake_telegram.add_file("f1", b"hello \x00 world", file_path="documents/x.txt")
    fake_telegram.add_file("big", b"", file_path="documents/big.bin", file_size=25 * 2**20)
    async with make_bot(fake_telegram) as bot:
        tg_file = await bot.get_file("f1")
        assert tg_file.file_path == f"{fake_telegram.base_file_url}{TOKEN}/documents/x.txt"
        assert tg_file.file_size == 13
        assert bytes(await tg_file.download_as_bytearray()) == b"hello \x00 world"
        with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
            await bot.get_file("nope")
        with pytest.raises(BadRequest, match=r"(?i)too big"):
            await bot.get_file("big")


async def test_send_document_multipart(fake_telegram: FakeTelegram) -> None:
    async with make_bot(fake_telegram) as bot:
        message = await bot.send_document(
            chat_id=3, document=b"\x01\x02 digest", filename="digest.txt", caption="Digest"
        )
        assert message.document is not None
        assert message.document.file_name == "digest.txt"
        again = await bot.get_file(message.document.file_id)
        assert bytes(await again.download_as_bytearray()) == b"\x01\x02 digest"
    (call,) = fake_telegram.calls_of("sendDocument")
    assert call["params"]["chat_id"] == 3
    assert call["params"]["caption"] == "Digest"
    assert call["params"]["document"]["content"] == b"\x01\x02 digest"


async def test_429_then_success_with_rate_limiter(fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("sendMessage", error_code=429, retry_after=1)
    limiter = AIORateLimiter(max_retries=3)
    bot = ExtBot(TOKEN, base_url=fake_telegram.base_url, rate_limiter=limiter)
    async with bot:
        started = time.monotonic()
        message = await bot.send_message(chat_id=11, text="after retry")
        elapsed = time.monotonic() - started
    assert message.text == "after retry"
    calls = fake_telegram.calls_of("sendMessage")
    assert [c["error_code"] for c in calls] == [429, None]
    assert calls[1]["time"] - calls[0]["time"] >= 1.0
    assert elapsed >= 1.0
    assert len(fake_telegram.sent_messages(11)) == 1


async def test_429_without_retries_raises_retry_after(fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("sendMessage", retry_after=2, count=2)
    fake_telegram.fail_next("getMyCommands", error_code=500, description="Internal")
    async with make_bot(fake_telegram) as bot:
        for _ in range(2):
            with pytest.raises(RetryAfter) as info:
                await bot.send_message(chat_id=1, text="x")
            assert info.value.retry_after == dt.timedelta(seconds=2)
        assert (await bot.send_message(chat_id=1, text="x")).text == "x"
        with pytest.raises(Exception, match="Internal"):
            await bot.get_my_commands()


def test_limit_rate_sliding_window(fake_telegram: FakeTelegram) -> None:
    fake_telegram.clock = lambda: 100.0  # all within one second, however slow the machine
    fake_telegram.limit_rate("sendMessage", per_second=3, retry_after=1)
    statuses = [
        api(fake_telegram, "sendMessage", data={"chat_id": str(i), "text": "t"})[0]
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    (_, body) = api(fake_telegram, "sendMessage", data={"chat_id": "1", "text": "t"})
    assert body["parameters"] == {"retry_after": 1}
    assert body["description"] == "Too Many Requests: retry after 1"
    fake_telegram.limit_rate("sendMessage", per_second=None)
    assert api(fake_telegram, "sendMessage", data={"chat_id": "1", "text": "t"})[0] == 200
    assert len(fake_telegram.sent_messages()) == 4


async def test_blocked_chat_is_forbidden(fake_telegram: FakeTelegram) -> None:
    fake_telegram.block_chat(13)
    async with make_bot(fake_telegram) as bot:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(chat_id=13, text="digest")
        await bot.send_message(chat_id=14, text="digest")
    assert fake_telegram.sent_messages(13) == []
    assert fake_telegram.calls_of("sendMessage", ok=False)[0]["error_code"] == 403


async def test_edit_message_text_and_markup(fake_telegram: FakeTelegram) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Quotes", callback_data="q")]])
    async with make_bot(fake_telegram) as bot:
        sent = await bot.send_message(chat_id=21, text="draft", reply_markup=markup)
        edited = await bot.edit_message_text(
            chat_id=21, message_id=sent.message_id, text="<i>final</i>", parse_mode="HTML"
        )
        assert not isinstance(edited, bool)
        assert edited.text == "final"
        assert edited.edit_date is not None
        assert edited.reply_markup is None
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text(
                chat_id=21, message_id=sent.message_id, text="<i>final</i>", parse_mode="HTML"
            )
        marked = await bot.edit_message_reply_markup(
            chat_id=21, message_id=sent.message_id, reply_markup=markup
        )
        assert not isinstance(marked, bool)
        assert marked.reply_markup == markup
    stored = fake_telegram.message(21, sent.message_id)
    assert stored is not None and stored["text"] == "final"
    assert fake_telegram.calls_of("editMessageText")[0]["params"]["message_id"] == 1


async def test_html_and_length_validation(fake_telegram: FakeTelegram) -> None:
    async with make_bot(fake_telegram) as bot:
        for bad in [
            "a < b",
            "line<br>break",
            "<b>open",
            "<b>x</i>",
            "</b>",
            '<span class="x">s</span>',
        ]:
            with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
                await bot.send_message(chat_id=1, text=bad, parse_mode="HTML")
        ok = await bot.send_message(
            chat_id=1,
            text='AT&T &lt;3 <a href="https://e.x/?a=1&amp;b=2">link</a> <tg-spoiler>s</tg-spoiler>',
            parse_mode="HTML",
        )
        assert ok.text == "AT&T <3 link s"
        assert (await bot.send_message(chat_id=1, text="a < b")).text == "a < b"
        await bot.send_message(chat_id=1, text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(chat_id=1, text="x" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
            await bot.send_message(chat_id=1, text="<b> </b>", parse_mode="HTML")


async def test_callback_query_answered_and_message_edited(fake_telegram: FakeTelegram) -> None:
    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Loading quotes")
        await query.edit_message_text(f"quotes for {query.data}")

    app = make_app(fake_telegram)
    app.add_handler(CallbackQueryHandler(on_button))
    await run_app(app, fake_telegram)
    try:
        sent = await app.bot.send_message(
            chat_id=31,
            text="story",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Q", callback_data="s1")]]),
        )
        update = fake_telegram.push_callback(31, sent.message_id, "s1")
        fake_telegram.push_callback(31, 99, "unknown-message")
        await fake_telegram.wait_for_async("editMessageText", count=2, timeout=5)
    finally:
        await stop_app(app)
    answers = fake_telegram.calls_of("answerCallbackQuery")
    assert answers[0]["params"]["callback_query_id"] == update["callback_query"]["id"]
    assert answers[0]["params"]["text"] == "Loading quotes"
    stored = fake_telegram.message(31, sent.message_id)
    assert stored is not None and stored["text"] == "quotes for s1"


async def test_commands_and_webhook_methods(fake_telegram: FakeTelegram) -> None:
    async with make_bot(fake_telegram) as bot:
        assert await bot.set_my_commands([("brief", "Briefing"), ("quotes", "Quotes")])
        assert [c.command for c in await bot.get_my_commands()] == ["brief", "quotes"]
        with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
            await bot.set_my_commands([("Bad-Name", "x")])
        assert await bot.delete_my_commands()
        assert await bot.get_my_commands() == ()
        assert await bot.send_chat_action(chat_id=1, action="typing")
        assert await bot.set_webhook("https://example.invalid/hook")
        assert (await bot.get_webhook_info()).url == "https://example.invalid/hook"
        with pytest.raises(Conflict):
            await bot.get_updates(timeout=0)
        fake_telegram.push_message(1, "queued")
        assert await bot.delete_webhook(drop_pending_updates=True)
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count) == ("", 0)
        assert await bot.log_out()
        assert await bot.close()


async def test_get_updates_offset_and_long_poll(fake_telegram: FakeTelegram) -> None:
    async with make_bot(fake_telegram) as bot:
        started = time.monotonic()
        assert await bot.get_updates(timeout=dt.timedelta(seconds=0.3)) == ()
        assert 0.25 <= time.monotonic() - started < 1.5
        for text in ("a", "b", "c"):
            fake_telegram.push_message(1, text)
        updates = await bot.get_updates(limit=2)
        assert [u.message.text for u in updates if u.message] == ["a", "b"]
        updates = await bot.get_updates(offset=updates[-1].update_id + 1)
        assert [u.message.text for u in updates if u.message] == ["c"]
        assert fake_telegram.pending_updates == 1
        last = updates[0].update_id
        assert await bot.get_updates(offset=last + 1, timeout=0) == ()
        assert fake_telegram.pending_updates == 0
        # A long poll is woken by a push from another thread.
        timer = threading.Timer(0.2, fake_telegram.push_message, args=(1, "late"))
        timer.start()
        started = time.monotonic()
        updates = await bot.get_updates(offset=last + 1, timeout=5)
        timer.join()
        assert [u.message.text for u in updates if u.message] == ["late"]
        assert time.monotonic() - started < 1.5
        # offset=-1 keeps only the newest update.
        fake_telegram.push_message(1, "old")
        fake_telegram.push_message(1, "new")
        updates = await bot.get_updates(offset=-1)
        assert [u.message.text for u in updates if u.message] == ["new"]


async def test_push_raw_and_malformed_update_does_not_break_fake(
    fake_telegram: FakeTelegram,
) -> None:
    fake_telegram.push_raw({"weird": True})
    fake_telegram.push_raw({"update_id": 500, "message": {"text": "no chat"}})
    status, body = api(fake_telegram, "getUpdates", data={"timeout": "0"})
    assert status == 200
    result = body["result"]
    assert isinstance(result, list)
    assert result[0] == {"weird": True}
    assert result[1]["update_id"] == 500
    assert fake_telegram.push_message(1, "next")["update_id"] == 501


def test_wait_for_and_wait_until_timeouts(fake_telegram: FakeTelegram) -> None:
    api(fake_telegram, "sendMessage", data={"chat_id": "1", "text": "only one"})
    with pytest.raises(AssertionError, match=r"2 x sendMessage \(found 1\)[\s\S]*only one"):
        fake_telegram.wait_for("sendMessage", count=2, timeout=0.2)
    found = fake_telegram.wait_for(lambda c: c["params"].get("text") == "only one", timeout=1)
    assert len(found) == 1
    assert wait_until(lambda: 5, timeout=0.1) == 5
    with pytest.raises(AssertionError, match="never"):
        wait_until(lambda: False, timeout=0.1, interval=0.01, message="never")
    timer = threading.Timer(
        0.1,
        api,
        args=(fake_telegram, "sendMessage"),
        kwargs={"data": {"chat_id": "2", "text": "t"}},
    )
    timer.start()
    assert len(fake_telegram.wait_for("sendMessage", count=2, timeout=5)) == 2
    timer.join(5)  # its response must arrive before the fixture stops the server


async def test_many_concurrent_requests_and_stop_closes_connections() -> None:
    fake = FakeTelegram().start()
    try:
        async with httpx.AsyncClient(
            limits=httpx.Limits(max_connections=150), timeout=10
        ) as client:
            url = f"{fake.base_url}{TOKEN}/sendMessage"
            responses = await asyncio.gather(
                *(client.post(url, data={"chat_id": str(i), "text": "hi"}) for i in range(150))
            )
            assert all(r.status_code == 200 for r in responses)
            assert len(fake.sent_messages()) == 150
            # A long poll in flight when the server stops returns promptly.
            poll = asyncio.create_task(
                client.post(f"{fake.base_url}{TOKEN}/getUpdates", data={"timeout": "2"})
            )
            await asyncio.sleep(0.1)
            started = time.monotonic()
            await asyncio.to_thread(fake.stop)
            assert time.monotonic() - started < 1.5
            with contextlib.suppress(httpx.HTTPError):
                await poll
            with pytest.raises(httpx.HTTPError):
                await client.post(url, data={"chat_id": "1", "text": "after stop"})
    finally:
        fake.stop()
    assert fake.errors == []


def test_token_check_admins_topics_channels_and_dropped_answers(fake_telegram: FakeTelegram) -> None:
    fake_telegram.valid_token = "1:good"
    assert api(fake_telegram, "getMe")[0] == 401  # api() uses another token
    fake_telegram.valid_token = None
    fake_telegram.set_chat_admins(-5, {7})
    _, admin = api(fake_telegram, "getChatMember", data={"chat_id": "-5", "user_id": "7"})
    _, member = api(fake_telegram, "getChatMember", data={"chat_id": "-5", "user_id": "8"})
    assert admin["result"] == {**admin["result"], "status": "administrator"}  # type: ignore[dict-item]
    assert member["result"] == {**member["result"], "status": "member"}  # type: ignore[dict-item]
    topic = fake_telegram.push_message(-5, "/brief", chat_type="supergroup", message_thread_id=9)
    assert topic["message"]["message_thread_id"] == 9 and topic["message"]["chat"]["is_forum"]
    post = fake_telegram.push_message(-6, "/subscribe", chat_type="channel")
    assert "from" not in post["channel_post"] and post["channel_post"]["sender_chat"]["id"] == -6
    fake_telegram.drop_after_next("sendMessage")
    with pytest.raises(httpx.TransportError):  # the connection is dropped: no answer at all
        api(fake_telegram, "sendMessage", data={"chat_id": "3", "text": "t"})
    assert len(fake_telegram.sent_messages(3)) == 1  # yet it took effect
