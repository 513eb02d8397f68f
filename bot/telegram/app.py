"""The PTB Application: thin handlers over the command layer, one error handler, scheduled jobs.

Everything is wired in ``build_application``; nothing registers itself on import.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import secrets
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram._utils.types import JSONDict
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.chat.commands import COMMANDS, Caller, Commands
from bot.chat.render import to_html
from bot.chat.reply import Reply
from bot.config import Settings
from bot.digest import digest
from bot.sources.ingest import MAX_FILE_BYTES
from bot.sources.live import fetch_doc, poll_round
from bot.store.store import Store
from summarizer.models import CleanDoc

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 5


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Inline keyboard of a reply's buttons (callback data is the command they run)."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.data[:64]) for b in row]
            for row in reply.buttons
        ]
    )


DIGEST_RATE = 28.0  # digest messages per second: under Telegram's ~30/s, room left for replies


class Pacer:
    """Spaces calls evenly (no bursts): a fan-out of digests never trips flood control in bunches.

    PTB's limiter lets a full second's worth through at once and, after a 429, releases the
    waiting retries together; evenly spaced digests avoid both.
    """

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        """Return when the next evenly spaced slot has come."""
        async with self._lock:
            loop = asyncio.get_running_loop()
            delay = self._next - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next = max(loop.time(), self._next) + self.interval


class BotRuntime:
    """The state handlers share: store, command layer, settings."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.digest_pacer = Pacer(DIGEST_RATE)

        async def fetcher(url: str) -> CleanDoc:
            return await fetch_doc(url, settings)

        self.commands = Commands(store, settings, fetcher=fetcher)

    def caller(self, update: Update) -> Caller:
        """Who sent an update."""
        user = update.effective_user
        chat = update.effective_chat
        uid = user.id if user else None
        return Caller(
            chat_id=chat.id if chat else 0,
            user_id=uid,
            is_admin=uid is not None and uid in self.settings.admins,
        )

    def allowed(self, update: Update) -> bool:
        """False when an allow-list is set and this chat is not on it (admins always pass)."""
        if not self.settings.allowed_chats:
            return True
        c = self.caller(update)
        return c.chat_id in self.settings.allowed_chats or c.is_admin

    # -- sending --

    async def send(
        self, app: Application, chat_id: int, reply: Reply, pacer: Pacer | None = None
    ) -> None:
        """Send a reply as one or more HTML messages; buttons go on the last one."""
        chunks = to_html(reply)
        for i, chunk in enumerate(chunks):
            if pacer is not None:
                await pacer.wait()
            await app.bot.send_message(
                chat_id,
                chunk,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply) if i == len(chunks) - 1 else None,
                disable_web_page_preview=True,
            )

    async def send_digest(self, app: Application, chat_id: int, reply: Reply) -> None:
        """Send a digest (paced); a blocked or vanished chat becomes ChatGone."""
        try:
            await self.send(app, chat_id, reply, self.digest_pacer)
        except Forbidden as exc:
            raise digest.ChatGone(str(exc)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise digest.ChatGone(str(exc)) from exc
            raise


# --- handlers ------------------------------------------------------------------------------------


def _runtime(context: ContextTypes.DEFAULT_TYPE) -> BotRuntime:
    rt = context.application.bot_data["runtime"]
    assert isinstance(rt, BotRuntime)
    return rt


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any chat command: run it through the command layer and answer."""
    rt = _runtime(context)
    msg = update.effective_message
    if msg is None or not msg.text:
        return
    if not rt.allowed(update):
        await msg.reply_text("Sorry, this is a private bot.")
        return
    caller = rt.caller(update)
    reply = await rt.commands.handle(msg.text, caller)
    if reply.paragraphs:
        await rt.send(context.application, caller.chat_id, reply)
    name = msg.text.split()[0].split("@")[0].lstrip("/").lower()
    if name in ("subscribe", "unsubscribe"):
        schedule_chat(context.application, caller.chat_id)


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button: run its command and edit the same message in place."""
    rt = _runtime(context)
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    if not query.data or not query.data.startswith("/") or not rt.allowed(update):
        return
    caller = rt.caller(update)
    reply = await rt.commands.handle(query.data, caller)
    if not reply.paragraphs:
        return
    chunks = to_html(reply)
    message = query.message
    if message is None or not hasattr(message, "edit_text") or len(chunks) > 1:
        await rt.send(context.application, caller.chat_id, reply)
        return
    try:
        await message.edit_text(
            chunks[0],
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(reply),
            disable_web_page_preview=True,
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file sent to the bot: admins' .txt/.md/.html files are ingested."""
    rt = _runtime(context)
    msg = update.effective_message
    if msg is None or msg.document is None:
        return
    caller = rt.caller(update)
    if not caller.is_admin:
        await msg.reply_text("Sorry, only the bot's admins can add articles.")
        return
    doc = msg.document
    name = doc.file_name or "upload.txt"
    if doc.file_size and doc.file_size > MAX_FILE_BYTES:
        await msg.reply_text(f"“{name}” is too large (limit {MAX_FILE_BYTES // 1_048_576} MB).")
        return
    file = await doc.get_file()
    data = bytes(await file.download_as_bytearray())
    reply = await rt.commands.ingest_upload(name, data, caller)
    await rt.send(context.application, caller.chat_id, reply)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error handler: log, and tell the user something went wrong."""
    log.error("update failed: %s", context.error, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                update.effective_chat.id, "Sorry, something went wrong. Please try again."
            )


# --- jobs ----------------------------------------------------------------------------------------


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send one chat's daily digest (exactly once per local day, see bot.digest.digest)."""
    rt = _runtime(context)
    job = context.job
    if job is None or job.chat_id is None:
        return
    chat_id = job.chat_id
    sub = rt.store.subscription(chat_id)
    if sub is None:
        return
    app = context.application

    async def send(cid: int, reply: Reply) -> None:
        await rt.send_digest(app, cid, reply)

    status = await digest.deliver(
        rt.commands, chat_id, sub[1], sub[2], send, empty_note=rt.settings.digest_empty_note
    )
    log.info("digest for chat %s: %s", chat_id, status)
    if status == "unsubscribed":
        job.schedule_removal()


async def catch_up_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """At start: send digests that were missed while the bot was down (same local day only)."""
    rt = _runtime(context)
    app = context.application

    async def send(cid: int, reply: Reply) -> None:
        await rt.send_digest(app, cid, reply)

    done = await digest.catch_up(rt.commands, send, empty_note=rt.settings.digest_empty_note)
    if done:
        log.info("caught up %d digests", len(done))
        for chat_id, status in done.items():
            if status == "unsubscribed":
                schedule_chat(app, chat_id)


async def refresh_stories(rt: BotRuntime) -> int:
    """Compute the missing cached views (each off the event loop, via the command layer)."""
    dirty = rt.store.dirty_stories()
    for sid in dirty:
        with contextlib.suppress(LookupError):  # a story emptied meanwhile
            await rt.commands.story_views(sid)
    return len(dirty)


async def refresh_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """At start: fill in briefings that were never computed (e.g. after `briefbot ingest`)."""
    n = await refresh_stories(_runtime(context))
    if n:
        log.info("computed %d story briefings", n)


async def poll_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """One feed polling round, then refresh the changed stories off the event loop."""
    rt = _runtime(context)
    result = await poll_round(rt.store, rt.settings)
    if result.report.ingested:
        await refresh_stories(rt)
    log.info(
        "poll: %d/%d feeds, %d new articles, %d errors",
        result.polled,
        result.feeds,
        len(result.report.ingested),
        len(result.feed_errors) + len(result.report.errors),
    )


def schedule_chat(app: Application, chat_id: int) -> None:
    """(Re)schedule a chat's daily digest job from its subscription in SQLite."""
    jq = app.job_queue
    if jq is None:
        return
    name = f"digest:{chat_id}"
    for job in jq.get_jobs_by_name(name):
        job.schedule_removal()
    rt = app.bot_data["runtime"]
    sub = rt.store.subscription(chat_id)
    if sub is None:
        return
    hh, mm = (int(x) for x in sub[0].split(":"))
    jq.run_daily(digest_job, time=time(hh, mm, tzinfo=ZoneInfo(sub[1])), chat_id=chat_id, name=name)


async def post_init(app: Application) -> None:
    """At start: register the command list, schedule digests, catch up, start feed polling."""
    rt: BotRuntime = app.bot_data["runtime"]
    rt.commands.bot_username = app.bot.username or ""
    await app.bot.set_my_commands(
        [BotCommand(c.name, c.description[:256]) for c in COMMANDS if not c.admin]
    )
    for chat_id, *_ in rt.store.subscriptions():
        schedule_chat(app, chat_id)
    jq = app.job_queue
    if jq is not None:
        jq.run_once(refresh_job, when=0, name="refresh")
        jq.run_once(catch_up_job, when=0.5, name="catch-up")
        # Always scheduled: a feed added later with /feeds add is polled without a restart.
        jq.run_repeating(
            poll_job,
            interval=timedelta(minutes=rt.settings.feed_interval_minutes),
            first=5.0,
            name="poll",
        )
    log.info("briefbot is running as @%s", rt.commands.bot_username)


class TolerantBot(ExtBot[int]):
    """An ExtBot that survives malformed updates.

    PTB parses a getUpdates batch in one go; one update it cannot parse makes the whole batch fail
    and the same batch is fetched again forever. Here such an update is logged and replaced by an
    empty one with the same update_id, so the offset still advances and no handler runs for it.
    """

    async def _post(self, endpoint: str, data: JSONDict | None = None, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint != "getUpdates" or not isinstance(result, list):
            return result
        clean: list[Any] = []
        for raw in result:
            try:
                Update.de_json(copy.deepcopy(raw), self)
                clean.append(raw)
            except Exception:
                uid = raw.get("update_id") if isinstance(raw, dict) else None
                log.warning("ignoring a malformed update (update_id %s)", uid)
                if isinstance(uid, int):
                    clean.append({"update_id": uid})
        return clean


def build_application(settings: Settings, store: Store) -> Application:
    """Wire the bot: the tolerant rate-limited bot, handlers, error handler, runtime state."""
    bot = TolerantBot(
        token=settings.token,
        base_url=settings.api_base or "https://api.telegram.org/bot",
        base_file_url=settings.file_base or "https://api.telegram.org/file/bot",
        request=HTTPXRequest(connection_pool_size=64),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        rate_limiter=AIORateLimiter(max_retries=RATE_LIMIT_RETRIES),
    )
    app = ApplicationBuilder().bot(bot).post_init(post_init).build()
    app.bot_data["runtime"] = BotRuntime(settings, store)
    for spec in COMMANDS:
        app.add_handler(CommandHandler(spec.name, on_command))
    app.add_handler(CallbackQueryHandler(on_callback))
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    # Commands we do not have get the command layer's hint, never silence.
    app.add_handler(MessageHandler(filters.COMMAND, on_command))
    app.add_error_handler(on_error)
    return app


class TokenFilter(logging.Filter):
    """Redacts the bot token from every log record (URLs in library messages carry it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            msg = record.getMessage()
            if self.token in msg:
                record.msg = msg.replace(self.token, "<token>")
                record.args = ()
        return True


def install_token_filter(token: str) -> None:
    """Attach the redacting filter to every root handler."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(TokenFilter(token))


def run_bot(
    settings: Settings,
    db_path: str,
    *,
    webhook: str | None = None,
    listen: str = "0.0.0.0",
    port: int = 8443,
    stop_signals: Sequence[int] | None = None,
) -> int:
    """Run until SIGINT/SIGTERM: long polling, or a webhook with a secret token."""
    if not settings.token:
        log.error("TELEGRAM_BOT_TOKEN is not set (environment or .env); see .env.example")
        return 2
    install_token_filter(settings.token)
    # PTB 22 warns about its retry_after type on every 429; the rate limiter handles both types.
    warnings.filterwarnings("ignore", category=PTBDeprecationWarning)
    store = Store(db_path)
    app = build_application(settings, store)
    try:
        if webhook:
            secret = settings.webhook_secret or secrets.token_urlsafe(32)
            # The same path locally and publicly (a proxy passes it through); a random last
            # segment keeps the endpoint unguessable, and the secret token is checked on top.
            public = webhook.rstrip("/") + "/" + secrets.token_urlsafe(16)
            app.run_webhook(
                listen=listen,
                port=port,
                url_path=urlsplit(public).path.lstrip("/"),
                webhook_url=public,
                secret_token=secret,
            )
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    except RuntimeError as exc:
        # A SIGINT/SIGTERM during PTB's start-up stops the loop before initialisation finishes.
        if "Event loop stopped" not in str(exc):
            raise
        log.info("stopped during start-up")
    finally:
        store.close()
    log.info("briefbot stopped at %s", datetime.now(UTC).isoformat(timespec="seconds"))
    return 0
