"""Documents an admin sends to be summarized together, nothing stored.

Two ways: send the files (one, or an album) with the caption /summarize, or answer a file sent
earlier with /summarize: the briefing covers that file and every file of its album. Telegram
delivers an album as separate messages with no end marker, so a captioned album is briefed
ALBUM_WAIT seconds after its last file arrived, and an album's file without the caption waits
CAPTION_WAIT seconds for a captioned sibling before it is stored as usual. The bot keeps only the last REMEMBER files'
ids in memory (Telegram keeps the files); the briefing comes from ``bot.chat.summarize``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from dataclasses import dataclass, field

from telegram import Message, Update
from telegram.error import TelegramError

from bot.chat.spec import Caller
from bot.chat.summarize import MAX_DOCUMENTS, summarize_files
from bot.telegram.runtime import BotContext

log = logging.getLogger(__name__)

ALBUM_WAIT = 1.5  # seconds after an album's latest file before it is briefed
CAPTION_WAIT = 1.0  # how long an album's file without the caption waits for a captioned one
REMEMBER = 500  # files remembered (ids only), oldest forgotten first


@dataclass(frozen=True)
class Upload:
    """A file someone sent to the bot: where, in which album, and how to fetch it again."""

    chat_id: int
    message_id: int
    album: str | None
    file_id: str
    name: str


@dataclass
class Uploads:
    """Recently sent files by (chat, message); albums sent to be summarized, and their timers."""

    seen: OrderedDict[tuple[int, int], Upload] = field(default_factory=OrderedDict)
    to_summarize: set[tuple[int, str]] = field(default_factory=set)
    captioned: dict[tuple[int, str], asyncio.Event] = field(default_factory=dict)
    timers: dict[tuple[int, str], asyncio.Task[None]] = field(default_factory=dict)

    def add(self, upload: Upload) -> None:
        """Remember a file (the oldest are forgotten)."""
        self.seen[(upload.chat_id, upload.message_id)] = upload
        while len(self.seen) > REMEMBER:
            self.seen.popitem(last=False)
        while len(self.captioned) > REMEMBER:
            self.captioned.pop(next(iter(self.captioned)))

    def album(self, upload: Upload) -> list[Upload]:
        """The file and every remembered file of its album, in the order they were sent."""
        if upload.album is None:
            return [upload]
        same = {
            u.message_id: u
            for u in self.seen.values()
            if u.chat_id == upload.chat_id and u.album == upload.album
        }
        same[upload.message_id] = upload
        return [same[k] for k in sorted(same)]


def uploads_of(context: BotContext) -> Uploads:
    """The application's file memory."""
    found = context.application.bot_data.setdefault("uploads", Uploads())
    assert isinstance(found, Uploads)
    return found


def upload_of(msg: Message) -> Upload | None:
    """The file a message carries."""
    doc = msg.document
    if doc is None:
        return None
    return Upload(
        msg.chat_id, msg.message_id, msg.media_group_id, doc.file_id, doc.file_name or "upload.txt"
    )


def _asks_summary(text: str | None) -> bool:
    first = (text or "").split(maxsplit=1)[:1]
    return bool(first) and first[0].split("@")[0].lower() == "/summarize"


async def on_document(update: Update, context: BotContext, caller: Caller) -> bool:
    """Remember an admin's file; True when it was sent to be summarized (then it is not stored)."""
    msg = update.effective_message
    upload = upload_of(msg) if msg is not None else None
    if msg is None or upload is None or not caller.is_admin:
        return False
    memory = uploads_of(context)
    memory.add(upload)
    key = (upload.chat_id, upload.album or "")
    if upload.album is None:
        if not _asks_summary(msg.caption):
            return False
        await summarize(context, msg, [upload], caller)
        return True
    flag = memory.captioned.setdefault(key, asyncio.Event())
    if _asks_summary(msg.caption):
        flag.set()
    elif key not in memory.to_summarize:
        # Updates are handled concurrently: the captioned file of this album may still be on
        # its way. Wait for it a moment before this file is stored as an article.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(flag.wait(), CAPTION_WAIT)
        if not flag.is_set():
            return False
    memory.to_summarize.add(key)
    timer = memory.timers.pop(key, None)
    if timer is not None:
        timer.cancel()

    async def later() -> None:
        await asyncio.sleep(ALBUM_WAIT)  # no more files of this album for a while: it is whole
        memory.timers.pop(key, None)
        await summarize(context, msg, memory.album(upload), caller)

    memory.timers[key] = asyncio.create_task(later())
    return True


async def on_summarize_reply(update: Update, context: BotContext, caller: Caller) -> bool:
    """/summarize in answer to a file: brief it with its album; False when it answers no file."""
    msg = update.effective_message
    target = msg.reply_to_message if msg is not None else None
    upload = upload_of(target) if target is not None else None
    if msg is None or upload is None:
        return False
    if not caller.is_admin:
        await msg.reply_text("Sorry, only the bot's admins can summarize documents.")
        return True
    memory = uploads_of(context)
    memory.add(upload)
    await summarize(context, msg, memory.album(upload), caller)
    return True


async def summarize(
    context: BotContext, msg: Message, uploads: list[Upload], caller: Caller
) -> None:
    """Fetch the files again, brief them as one story and answer in the message's chat."""
    rt = context.runtime
    files: list[tuple[str, bytes]] = []
    for up in uploads[: MAX_DOCUMENTS + 1]:
        try:
            file = await context.bot.get_file(up.file_id)
            files.append((up.name, bytes(await file.download_as_bytearray())))
        except TelegramError as exc:
            log.warning("cannot fetch file %s: %s", up.name, exc)
            files.append((up.name, b""))  # named as unreadable in the reply
    reply = await summarize_files(files, rt.settings.brief_words, caller, rt.commands.clock())
    thread = msg.message_thread_id if msg.is_topic_message else None
    try:
        await rt.send(context.application, msg.chat_id, reply, thread_id=thread)
    except TelegramError as exc:  # an album's summary runs outside any update: log it here
        log.warning("cannot send a summary to chat %s: %s", msg.chat_id, exc)
