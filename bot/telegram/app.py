"""The PTB Application: wiring (bot, defaults, handlers, jobs, command menus) and `briefbot run`.

Everything is wired in ``build_application``; nothing registers itself on import. The token is a
secret: it is never printed, and every log record (tracebacks included) is redacted.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import secrets
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from telegram import Bot, BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram._utils.types import JSONDict
from telegram.constants import ParseMode
from telegram.error import Forbidden, InvalidToken, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.chat.commands import COMMANDS
from bot.config import Settings
from bot.store import Store, Subscription
from bot.telegram import alerts, handlers, jobs
from bot.telegram.runtime import BotContext, BotRuntime

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 5
BAD_TOKEN = "Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN"
CONTEXT_TYPES = ContextTypes(context=BotContext)


class TolerantBot(ExtBot[Any]):
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


async def set_command_menus(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Everyone sees the user commands; each admin's private chat also lists the admin ones."""
    rt: BotRuntime = app.bot_data["runtime"]
    everyone = [BotCommand(c.name, c.description[:256]) for c in COMMANDS if not c.admin]
    admin = [BotCommand(c.name, c.description[:256]) for c in COMMANDS]
    for admin_id in sorted(rt.settings.admins):
        try:
            await app.bot.set_my_commands(admin, scope=BotCommandScopeChat(admin_id))
        except (Forbidden, NetworkError) as exc:  # an admin who never opened the bot
            log.warning("no admin command menu for %s: %s", admin_id, exc)
    # The default menu last: its call marks "start-up done" for anyone watching.
    await app.bot.set_my_commands(everyone)


async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """At start: command menus, digests scheduled, catch-up, feed polling."""
    rt: BotRuntime = app.bot_data["runtime"]
    rt.commands.bot_username = app.bot.username or ""
    # Subscription changes are events of the command layer: reschedule that chat's digest job.
    rt.commands.on_subscription = lambda chat_id, sub: jobs.schedule_chat(app, chat_id, sub)
    for chat_id, at, zone, n in await rt.commands.db(lambda store: store.subscriptions()):
        jobs.schedule_chat(app, chat_id, Subscription(at, zone, n))
    jq = app.job_queue
    if jq is not None:
        jq.run_once(jobs.refresh_job, when=0, name="refresh")
        jq.run_once(jobs.catch_up_job, when=0.5, name="catch-up")
        # Always scheduled: a feed added later with /feeds add is polled without a restart.
        jq.run_repeating(
            jobs.poll_job,
            interval=timedelta(minutes=rt.settings.feed_interval_minutes),
            first=5.0,
            name="poll",
        )
        alerts.schedule_alerts(app)  # followed stories: alerts with what is new
    await set_command_menus(app)
    log.info("briefbot is running as @%s", rt.commands.bot_username)


async def post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Finish queued store work and close the worker threads' connections."""
    rt: BotRuntime = app.bot_data["runtime"]
    await asyncio.to_thread(rt.close)


def build_application(
    settings: Settings, store: Store | str, **backend: Any
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Wire the bot: rate-limited tolerant bot, HTML defaults, concurrent handlers, runtime state."""
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        tzinfo=ZoneInfo(settings.digest_zone),
    )
    bot = TolerantBot(
        token=settings.token,
        base_url=settings.api_base or "https://api.telegram.org/bot",
        base_file_url=settings.file_base or "https://api.telegram.org/file/bot",
        request=HTTPXRequest(connection_pool_size=64),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        rate_limiter=AIORateLimiter(max_retries=RATE_LIMIT_RETRIES),
        defaults=defaults,
    )
    app = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["runtime"] = BotRuntime(settings, store, **backend)
    messages = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
    app.add_handler(CommandHandler([c.name for c in COMMANDS], handlers.on_command, messages))
    app.add_handler(CallbackQueryHandler(handlers.on_callback))
    app.add_handler(MessageHandler(filters.Document.ALL & messages, handlers.on_document))
    # Commands we do not have: a hint in private chats; ignored in groups unless addressed to us.
    app.add_handler(MessageHandler(filters.COMMAND & messages, handlers.on_command))
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE,
            handlers.on_text,
        )
    )
    app.add_error_handler(handlers.on_error)
    return app


class TokenFilter(logging.Filter):
    """Redacts the bot token from every log record, its traceback included."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record without the token (always keeps it)."""
        if not self.token:
            return True
        msg = record.getMessage()
        if self.token in msg:
            record.msg = msg.replace(self.token, "<token>")
            record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = text.rstrip("\n").replace(self.token, "<token>")
            record.exc_info = None
        elif record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, "<token>")
        return True


def install_token_filter(token: str) -> None:
    """Attach the redacting filter to every root handler."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(TokenFilter(token))


def _start_failure(exc: BaseException, settings: Settings) -> str | None:
    """The one line for a start-up failure we can explain (None: not one of those)."""
    for e in (exc, exc.__cause__, exc.__context__):
        if isinstance(e, InvalidToken):
            return BAD_TOKEN
        if isinstance(e, NetworkError):
            host = urlsplit(settings.api_base or "https://api.telegram.org").netloc
            return (
                f"Cannot reach the Telegram Bot API at {host}: check the network and "
                "TELEGRAM_API_BASE (the token could not be checked)"
            )
    return None


def _loop_was_stopping(exc: BaseException) -> bool:
    """Whether a start-up error only says the event loop went away under a request (a stop signal)."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if type(e).__name__ == "NoEventLoopError" or "Event loop stopped" in str(e):
            return True
        stack += [e.__cause__, e.__context__]
    return False


async def check_token(settings: Settings) -> str | None:
    """Ask Telegram who we are before starting; the one-line reason if that fails, else None.

    PTB's own start-up logs a rejected token as an error with a traceback; asking first keeps
    the most common first mistake to one clear line.
    """
    bot = Bot(
        settings.token,
        base_url=settings.api_base or "https://api.telegram.org/bot",
        base_file_url=settings.file_base or "https://api.telegram.org/file/bot",
    )
    try:
        async with bot:
            return None
    except (InvalidToken, NetworkError) as exc:
        return _start_failure(exc, settings)


def run_bot(
    settings: Settings,
    db_path: str,
    *,
    webhook: str | None = None,
    listen: str = "0.0.0.0",
    port: int = 8443,
    stop_signals: Sequence[int] | None = None,
    before_start: Callable[[], None] | None = None,
) -> int:
    """Run until SIGINT/SIGTERM: long polling, or a webhook with a secret token
    (``before_start`` runs once the token is accepted: the CLI forks its readers there)."""
    if not settings.token:
        log.error("TELEGRAM_BOT_TOKEN is not set (environment or .env); see .env.example")
        return 2
    install_token_filter(settings.token)
    # PTB 22 warns about its retry_after type on every 429; the rate limiter handles both types.
    warnings.filterwarnings("ignore", category=PTBDeprecationWarning)
    problem = asyncio.run(check_token(settings))
    if problem:
        print(f"briefbot: {problem}", file=sys.stderr)
        return 3
    if before_start is not None:
        before_start()
    Store(db_path).close()  # create or migrate the database; the bot's threads open their own
    app = build_application(settings, db_path)
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
    except (InvalidToken, NetworkError) as exc:
        if _loop_was_stopping(exc):  # a SIGINT/SIGTERM while PTB was still starting to poll
            log.info("stopped during start-up")
            return 0
        line = _start_failure(exc, settings) or BAD_TOKEN
        print(f"briefbot: {line}", file=sys.stderr)
        return 3
    except RuntimeError as exc:
        # A SIGINT/SIGTERM during PTB's start-up stops the loop before initialisation finishes.
        if "Event loop stopped" not in str(exc):
            raise
        log.info("stopped during start-up")
    log.info("briefbot stopped at %s", datetime.now(UTC).isoformat(timespec="seconds"))
    return 0
