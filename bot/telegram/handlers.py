"""Update handlers: thin wrappers that run the command layer and answer in the right place.

Groups: replies go to the forum topic the message came from; changing a group's digest needs a
chat administrator; unknown commands not addressed to the bot are ignored (other bots may own
them). Channels: only admins can post, so a channel's posts may subscribe it.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
from collections.abc import AsyncIterator

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatMemberStatus, ChatType
from telegram.error import BadRequest, TelegramError

from bot.chat.commands import COMMANDS, Caller
from bot.chat.reply import Reply, simple
from bot.sources.ingest import MAX_FILE_BYTES
from bot.store.follows import Follows
from bot.telegram import uploads
from bot.telegram.runtime import BACK, BotContext, BotRuntime, Page, split_page
from bot.telegram.workers import StoreBusy

log = logging.getLogger(__name__)

TYPING_AFTER = 0.3  # seconds of work before "typing..." shows
TYPING_EVERY = 4.5  # Telegram shows a chat action for about 5 s
KNOWN = frozenset(c.name for c in COMMANDS)
WRITER_COMMANDS = frozenset({"add", "feeds"})  # ingest and feed changes: the writer thread
GROUP_ADMIN_COMMANDS = frozenset({"subscribe", "unsubscribe", "follow", "unfollow"})
# Commands that change a group's settings or filters when given arguments (bare: only show them).
GROUP_ADMIN_WITH_ARGS = frozenset({"settings", "mute", "only", "unmute"})
STORY_VIEWS = ("/brief ", "/quotes ", "/sources ")
_CMD_RE = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+(.*))?$", re.S)
_DEEP_LINK_RE = re.compile(r"^(brief|quotes|sources)_(\d{1,12})$")


@contextlib.asynccontextmanager
async def typing(context: BotContext, chat_id: int, thread_id: int | None) -> AsyncIterator[None]:
    """Show "typing..." while the body runs longer than a moment."""

    async def keep_typing() -> None:
        await asyncio.sleep(TYPING_AFTER)
        while True:
            with contextlib.suppress(TelegramError):
                await context.bot.send_chat_action(
                    chat_id, ChatAction.TYPING, message_thread_id=thread_id
                )
            await asyncio.sleep(TYPING_EVERY)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def thread_of(msg: Message | None) -> int | None:
    """The forum topic a message is in (None outside topics)."""
    if msg is not None and msg.is_topic_message and msg.message_thread_id:
        return msg.message_thread_id
    return None


async def may_change_chat(update: Update, context: BotContext) -> bool:
    """True in private chats and channels, and for a group's administrators."""
    chat = update.effective_chat
    if chat is None or chat.type in (ChatType.PRIVATE, ChatType.CHANNEL):
        return True
    msg = update.effective_message
    if msg is not None and msg.sender_chat is not None and msg.sender_chat.id == chat.id:
        return True  # an anonymous administrator posts as the group itself
    user = update.effective_user
    if user is None:
        return False
    if user.id in context.runtime.settings.admins:
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("cannot check admin rights in chat %s: %s", chat.id, exc)
        return False
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def group_admin_only(name: str, args: str) -> bool:
    """Does this command change a group's digest, alerts, settings or filters (admins only)?"""
    return name in GROUP_ADMIN_COMMANDS or (name in GROUP_ADMIN_WITH_ARGS and bool(args.strip()))


def deep_link(name: str, args: str) -> str | None:
    """'/start brief_12' (from t.me/BOT?start=brief_12) -> '/brief 12'."""
    m = _DEEP_LINK_RE.match(args.strip()) if name == "start" else None
    return f"/{m.group(1)} {m.group(2)}" if m else None


async def run_command(rt: BotRuntime, text: str, caller: Caller, name: str) -> Reply:
    """The command layer's reply; ingesting commands run on the writer thread."""
    if name in WRITER_COMMANDS and caller.is_admin:
        return await rt.commands.ingest(text, caller)
    return await rt.commands.handle(text, caller)


async def remember_topic(
    rt: BotRuntime, name: str, chat_id: int, thread: int | None, reply: Reply
) -> None:
    """After /follow (or its button): that story's alerts go to the forum topic it came from."""
    sid = reply.data.get("story_id")
    if name != "follow" or reply.data.get("following") is not True or not isinstance(sid, int):
        return
    try:
        await rt.commands.db(lambda store: Follows(store.conn).set_thread(chat_id, sid, thread))
    except StoreBusy:
        log.warning("chat %s: topic of story %s not saved (store locked)", chat_id, sid)


async def on_command(update: Update, context: BotContext) -> None:
    """Any chat command: run it through the command layer and answer."""
    rt = context.runtime
    msg = update.effective_message
    chat = update.effective_chat
    if msg is None or not msg.text or chat is None:
        return
    m = _CMD_RE.match(msg.text.strip())
    if m is None:
        return
    name, target, args = m.group(1).lower(), m.group(2), (m.group(3) or "").strip()
    addressed = bool(target) and target.lower() == rt.bot_username.lower()
    if chat.type != ChatType.PRIVATE and name not in KNOWN and not addressed:
        return  # "/foo" in a group may be for another bot
    thread = thread_of(msg)
    if not rt.allowed(update):
        await context.bot.send_message(
            chat.id, "Sorry, this is a private bot.", message_thread_id=thread
        )
        return
    text = deep_link(name, args) or msg.text
    if name == "summarize" and await uploads.on_summarize_reply(update, context, rt.caller(update)):
        return  # /summarize in answer to a file: that file and its album (bot.telegram.uploads)
    if group_admin_only(name, args) and not await may_change_chat(update, context):
        reply = simple("Only this group's administrators can change its digest or settings.")
    else:
        async with typing(context, chat.id, thread):
            reply = await run_command(rt, text, rt.caller(update), name)
            await remember_topic(rt, name, chat.id, thread, reply)
    if reply.paragraphs:
        await rt.send(context.application, chat.id, reply, command=text, thread_id=thread)


async def on_text(update: Update, context: BotContext) -> None:
    """Plain text in a private chat searches, as the console does."""
    rt = context.runtime
    msg = update.effective_message
    if msg is None or not msg.text or update.effective_chat is None:
        return
    if not rt.allowed(update):
        await msg.reply_text("Sorry, this is a private bot.")
        return
    query = " ".join(msg.text.split())[:200]
    command = f"/search {query}"
    async with typing(context, msg.chat_id, None):
        reply = await rt.commands.handle(command, rt.caller(update))
    await rt.send(context.application, msg.chat_id, reply, command=command)


def _with_back(page: Page) -> Page:
    rows = list(page.markup.inline_keyboard) if page.markup else []
    rows.append((InlineKeyboardButton("‹ Back", callback_data=BACK),))
    return Page(page.html, InlineKeyboardMarkup(rows))


def _is_story_view(markup: InlineKeyboardMarkup | None) -> bool:
    data = [b.callback_data for row in (markup.inline_keyboard if markup else ()) for b in row]
    return any(isinstance(d, str) and d.startswith("/quotes ") for d in data)


async def on_callback(update: Update, context: BotContext) -> None:
    """An inline button: run its command and edit the same message in place (paged if long)."""
    rt = context.runtime
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    message = query.message
    if not query.data or not query.data.startswith("/") or not rt.allowed(update):
        return
    if not isinstance(message, Message):
        return
    key = (message.chat_id, message.message_id)
    if query.data == BACK:
        page = rt.back_to.pop(key, None)
        if page is None:  # forgotten (e.g. after a restart): the story list
            reply = await rt.commands.handle("/stories", rt.caller(update))
            page = rt.pages(reply, "/stories")[0]
        await _edit(rt, message, page)
        return
    command, number = split_page(query.data)
    name, _, rest = command.partition(" ")
    name = name.lstrip("/").lower()
    if group_admin_only(name, rest) and not await may_change_chat(update, context):
        return
    async with typing(context, message.chat_id, thread_of(message)):
        reply = await run_command(rt, command, rt.caller(update), name)
        await remember_topic(rt, name, message.chat_id, thread_of(message), reply)
    if not reply.paragraphs:
        return
    pages = rt.pages(reply, command)
    page = pages[min(max(number, 1), len(pages)) - 1]
    opens_story = command.startswith(STORY_VIEWS)
    if opens_story and key not in rt.back_to and not _is_story_view(message.reply_markup):
        current = rt.shown.get(key) or Page(message.text_html or "…", message.reply_markup)
        rt.stash_back(*key, current)
    if opens_story and key in rt.back_to:
        page = _with_back(page)
    await _edit(rt, message, page)


async def _edit(rt: BotRuntime, message: Message, page: Page) -> None:
    try:
        await message.edit_text(page.html, reply_markup=page.markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
    rt.remember(message.chat_id, message.message_id, page)


async def on_document(update: Update, context: BotContext) -> None:
    """A file sent to the bot: admins' .txt/.md/.html files are ingested on the writer thread."""
    rt = context.runtime
    msg = update.effective_message
    if msg is None or msg.document is None:
        return
    caller = rt.caller(update)
    thread = thread_of(msg)
    if not caller.is_admin:
        if msg.chat.type == ChatType.PRIVATE:
            await msg.reply_text("Sorry, only the bot's admins can add articles.")
        return
    if await uploads.on_document(update, context, caller):
        return  # sent to be summarized, not stored
    doc = msg.document
    name = doc.file_name or "upload.txt"
    if doc.file_size and doc.file_size > MAX_FILE_BYTES:
        await msg.reply_text(
            f"“{html.escape(name)}” is too large (limit {MAX_FILE_BYTES // 1_048_576} MB)."
        )
        return
    async with typing(context, msg.chat_id, thread):
        file = await doc.get_file()
        data = bytes(await file.download_as_bytearray())
        reply = await rt.commands.ingest_upload(name, data, caller)
    await rt.send(context.application, msg.chat_id, reply, thread_id=thread)


async def on_error(update: object, context: BotContext) -> None:
    """The one error handler: log, and tell the user something went wrong."""
    log.error("update failed: %s", context.error, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                update.effective_chat.id,
                "Sorry, something went wrong. Please try again.",
                message_thread_id=thread_of(update.effective_message),
            )
