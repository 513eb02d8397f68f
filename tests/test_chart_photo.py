"""/chart arrives on Telegram as a photo (sendPhoto), other files as documents (fake Bot API)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_telegram import FakeTelegram
from telegram import Bot
from telegram.error import BadRequest
from telegram.ext import Application

from bot.chat.reply import Reply, line, para
from bot.config import Settings
from bot.reply import Attachment
from bot.store import Store
from bot.telegram.runtime import BotRuntime

TOKEN = "123456:TEST-token"
App = Application[Any, Any, Any, Any, Any, Any]


def png(width: int, height: int) -> bytes:
    """A valid grey PNG of that size (our own bytes, no image library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_the_fake_takes_a_photo_upload_like_telegram(fake_telegram: FakeTelegram) -> None:
    image = png(64, 40)
    async with Bot(
        TOKEN, base_url=fake_telegram.base_url, base_file_url=fake_telegram.base_file_url
    ) as bot:
        sent = await bot.send_photo(chat_id=5, photo=image, filename="c.png", caption="Chart")
        (size,) = sent.photo
        assert (size.width, size.height, size.file_size) == (64, 40, len(image))
        assert sent.caption == "Chart"
        got = await bot.get_file(size.file_id)
        assert bytes(await got.download_as_bytearray()) == image
        again = await bot.send_photo(chat_id=5, photo=size.file_id)  # resent by its file_id
        assert again.photo[0].file_id == size.file_id
        with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
            await bot.send_photo(chat_id=5, photo=b"<opml/>", filename="feeds.opml")
        with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
            await bot.send_photo(chat_id=5, photo=png(2, 100), filename="thin.png")
    (call, *_) = fake_telegram.calls_of("sendPhoto")
    assert call["params"]["photo"]["content"] == image


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[BotRuntime]:
    store = Store(tmp_path / "bot.db")
    rt = BotRuntime(Settings(), store)
    yield rt
    rt.close()
    store.close()


@pytest.fixture
async def app(fake_telegram: FakeTelegram) -> AsyncIterator[App]:
    built: App = (
        Application.builder()
        .token(TOKEN)
        .base_url(fake_telegram.base_url)
        .base_file_url(fake_telegram.base_file_url)
        .build()
    )
    async with built:
        yield built


def reply_with(name: str, content: bytes) -> Reply:
    return Reply(paragraphs=(para(line("Coverage of #3")),), file=Attachment(name, content))


async def test_a_png_reply_is_sent_as_a_photo_with_its_caption(
    runtime: BotRuntime, app: App, fake_telegram: FakeTelegram
) -> None:
    image = png(120, 80)
    [message] = await runtime.send(app, 7, reply_with("story-3-coverage.png", image))
    assert message.photo and message.photo[-1].width == 120
    [call] = fake_telegram.calls_of("sendPhoto")
    assert call["params"]["photo"]["content"] == image
    assert "Coverage of #3" in call["params"]["caption"]
    assert fake_telegram.calls_of("sendDocument") == []


async def test_any_other_file_is_still_a_document(
    runtime: BotRuntime, app: App, fake_telegram: FakeTelegram
) -> None:
    [message] = await runtime.send(app, 7, reply_with("feeds.opml", b"<opml version='2.0'/>"))
    assert message.document is not None and message.document.file_name == "feeds.opml"
    assert fake_telegram.calls_of("sendPhoto") == []
