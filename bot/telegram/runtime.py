"""The state handlers share (settings, the store-backed command layer, digest gate) and sending.

Replies longer than one message are paged: the first page is sent with Prev/Next buttons and
every press edits that same message, so a view never spills into new messages.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackContext, ExtBot

from bot.chat.commands import Caller
from bot.chat.render import to_html
from bot.chat.reply import Button, Reply
from bot.config import Settings
from bot.digest import digest
from bot.store import Store
from bot.telegram.backend import Backend
from bot.telegram.limiter import DigestGate

PAGE_LIMIT = 3900  # room under 4096 for the "page 2 of 3" line
CALLBACK_LIMIT = 64  # bytes of callback data Telegram accepts
PAGE_MARK = "|p"  # "/quotes 12|p2": page 2 of that view
BACK = "/back"
STASH_SIZE = 2000  # messages we remember a "Back" target for
CAPTION_LIMIT = 1000  # a file's caption (Telegram: 1024 characters after entities)
_PAGE_RE = re.compile(r"^(.*)\|p(\d+)$", re.S)
# A digest or alert round that found the store locked runs again after each of these (seconds).
STORE_RETRY_DELAYS: tuple[float, ...] = (30.0, 60.0, 120.0, 300.0, 600.0, 1200.0)
# httpx errors raised before the request was written: the message certainly did not leave.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


@dataclass(frozen=True)
class Page:
    """One page of a reply: its HTML and keyboard; ``of`` > 1 when it is one of Prev/Next pages."""

    html: str
    markup: InlineKeyboardMarkup | None
    of: int = 1


def split_page(data: str) -> tuple[str, int]:
    """'/quotes 12|p2' -> ('/quotes 12', 2); no mark -> page 1."""
    m = _PAGE_RE.match(data)
    return (m.group(1), int(m.group(2))) if m else (data, 1)


def keyboard(
    buttons: tuple[tuple[Button, ...], ...], extra: list[list[InlineKeyboardButton]] | None = None
) -> InlineKeyboardMarkup | None:
    """Inline keyboard of a reply's buttons (callback data is the command they run)."""
    rows = [
        [
            InlineKeyboardButton(b.text, url=b.url)
            if b.url
            else InlineKeyboardButton(b.text, callback_data=b.data[:CALLBACK_LIMIT])
            for b in row
        ]
        for row in buttons
    ]
    rows += extra or []
    return InlineKeyboardMarkup(rows) if rows else None


class BotRuntime:
    """The state handlers share: the command layer on store threads, digest gate, Back targets.

    It holds no database connection: every store call goes through ``commands`` (a Backend),
    which runs it on a worker thread.
    """

    def __init__(self, settings: Settings, store: Store | str, **backend: Any) -> None:
        self.settings = settings
        self.digest_gate = DigestGate(in_flight=settings.digest_in_flight)
        # Waits before a scheduled digest or alert round that met a locked store runs again.
        self.store_retry_delays: tuple[float, ...] = STORE_RETRY_DELAYS
        path = store.path if isinstance(store, Store) else store
        self.commands = Backend(settings, path, **backend)
        # (chat, message) -> the list or digest a story was opened from, for its Back button.
        self.back_to: OrderedDict[tuple[int, int], Page] = OrderedDict()
        # (chat, message) -> the HTML and keyboard we last put there.
        self.shown: OrderedDict[tuple[int, int], Page] = OrderedDict()

    @property
    def bot_username(self) -> str:
        """The bot's @username (known after start-up)."""
        return self.commands.bot_username

    def close(self) -> None:
        """Finish queued store work and stop the worker threads."""
        self.commands.close()

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

    # -- pages --

    def pages(self, reply: Reply, command: str | None) -> list[Page]:
        """A reply as pages; with more than one, each gets Prev/Next buttons running ``command``."""
        chunks = to_html(reply, PAGE_LIMIT)
        extra = self._share_row(reply)
        pageable = command is not None and len(command.encode()) + 6 <= CALLBACK_LIMIT
        if len(chunks) == 1 or not pageable:
            last = len(chunks) - 1
            return [
                Page(c, keyboard(reply.buttons, extra) if i == last else None)
                for i, c in enumerate(chunks)
            ]
        out = []
        n = len(chunks)
        for i, chunk in enumerate(chunks, start=1):
            nav = []
            if i > 1:
                nav.append(
                    InlineKeyboardButton("‹ Prev", callback_data=f"{command}{PAGE_MARK}{i - 1}")
                )
            nav.append(InlineKeyboardButton(f"{i}/{n}", callback_data=f"{command}{PAGE_MARK}{i}"))
            if i < n:
                nav.append(
                    InlineKeyboardButton("Next ›", callback_data=f"{command}{PAGE_MARK}{i + 1}")
                )
            html = f"{chunk}\n\n<i>Page {i} of {n}</i>"
            out.append(Page(html, keyboard(reply.buttons, [nav, *extra]), n))
        return out

    def _share_row(self, reply: Reply) -> list[list[InlineKeyboardButton]]:
        """A "Share" deep link (t.me/BOT?start=brief_ID) under a story's views."""
        sid = reply.data.get("story_id")
        views = [b.data for row in reply.buttons for b in row]
        if not self.bot_username or not isinstance(sid, int) or f"/brief {sid}" not in views:
            return []
        return [[InlineKeyboardButton("Share", url=share_link(self.bot_username, sid))]]

    def remember(self, chat_id: int, message_id: int, page: Page) -> None:
        """Note what a message shows (bounded: the oldest are forgotten)."""
        self.shown[(chat_id, message_id)] = page
        self.shown.move_to_end((chat_id, message_id))
        while len(self.shown) > STASH_SIZE:
            self.shown.popitem(last=False)

    def stash_back(self, chat_id: int, message_id: int, page: Page) -> None:
        """Remember where "Back" returns to for a message."""
        self.back_to[(chat_id, message_id)] = page
        while len(self.back_to) > STASH_SIZE:
            self.back_to.popitem(last=False)

    # -- sending --

    async def send(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int,
        reply: Reply,
        *,
        command: str | None = None,
        thread_id: int | None = None,
    ) -> list[Message]:
        """Send a reply: one message (paged when long, when ``command`` can re-run it) or several."""
        sent = []
        pages = self.pages(reply, command)
        if reply.file is not None:  # the file first, the text as its caption when it fits
            fits = len(pages) == 1 and len(reply.plain) <= CAPTION_LIMIT
            png = reply.file.content.startswith(b"\x89PNG\r\n\x1a\n")  # a chart: shown inline
            doc = await (app.bot.send_photo if png else app.bot.send_document)(
                chat_id,
                InputFile(reply.file.content, filename=reply.file.name),
                caption=pages[0].html if fits else None,
                reply_markup=pages[0].markup if fits else None,
                message_thread_id=thread_id,
            )
            sent.append(doc)
            if fits:
                return sent
        # Paged: the first page only (Prev/Next edit it); otherwise every piece in turn.
        for page in pages[:1] if pages[0].of > 1 else pages:
            msg = await app.bot.send_message(
                chat_id, page.html, reply_markup=page.markup, message_thread_id=thread_id
            )
            self.remember(chat_id, msg.message_id, page)
            sent.append(msg)
        return sent

    async def send_digest(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int,
        reply: Reply,
        *,
        thread_id: int | None = None,
    ) -> None:
        """Send a digest or alert (to forum topic ``thread_id`` if given), classifying failures
        for ``bot.digest.digest.deliver``."""
        delivered = 0
        try:
            for page in self.pages(reply, None):
                await app.bot.send_message(
                    chat_id, page.html, reply_markup=page.markup, message_thread_id=thread_id
                )
                delivered += 1
        except Forbidden as exc:
            raise digest.ChatGone(str(exc)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise digest.ChatGone(str(exc)) from exc
            if delivered:
                raise digest.SendAmbiguous(f"partly sent: {exc}") from exc
            raise
        except RetryAfter as exc:
            raise _definite_or_partial(delivered, f"flood control past retries: {exc}") from exc
        except NetworkError as exc:  # TimedOut is one too
            cause = exc.__cause__
            if delivered:
                raise digest.SendAmbiguous(f"partly sent: {exc}") from exc
            if cause is None or isinstance(cause, _NOT_SENT):
                # No cause: the server answered (5xx). A connect error: nothing left.
                raise digest.SendFailed(str(exc)) from exc
            raise digest.SendAmbiguous(f"{type(exc).__name__}: {exc}") from exc


def _definite_or_partial(delivered: int, what: str) -> Exception:
    return digest.SendAmbiguous(f"partly sent: {what}") if delivered else digest.SendFailed(what)


def share_link(username: str, story_id: int) -> str:
    """The deep link that opens a story's brief: t.me/BOT?start=brief_ID."""
    return f"https://t.me/{username}?start=brief_{story_id}"


class BotContext(
    CallbackContext[ExtBot[None], dict[object, object], dict[object, object], dict[object, object]]
):
    """The handlers' context, with typed access to the runtime."""

    @property
    def runtime(self) -> BotRuntime:
        """The shared runtime state."""
        rt = self.application.bot_data["runtime"]
        assert isinstance(rt, BotRuntime)
        return rt
