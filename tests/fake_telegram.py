"""A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks (standard library only).

Point python-telegram-bot at it with
``ApplicationBuilder().token("123:abc").base_url(fake.base_url).base_file_url(fake.base_file_url)``.
Requests arrive as ``/bot<TOKEN>/<method>`` and ``/file/bot<TOKEN>/<file_path>``; any token is
accepted. Every API call is recorded in :attr:`FakeTelegram.calls`.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

JSONDict = dict[str, Any]
Call = dict[str, Any]
CallMatcher = str | Callable[[Call], bool]

BOT_ID = 4242
BOT_USERNAME = "briefbot_test_bot"
BOT_USER: JSONDict = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Briefbot Test",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
MAX_PHOTO_SIZE = 10 * 1024 * 1024  # sendPhoto: at most 10 MB, width + height <= 10000, ratio <= 20

# Parameters whose string values PTB sends raw (not JSON-encoded): never json.loads them.
_RAW_STRING_PARAMS = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "file_id",
        "url",
        "secret_token",
        "inline_message_id",
        "business_connection_id",
        "language_code",
        "ip_address",
        "action",
        "description",
        "short_description",
        "title",
        "query",
        "emoji",
        "message_effect_id",
    ]
)
_ALLOWED_HTML_TAGS = frozenset(
    [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    ]
)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>")
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_BOT_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?")


def default_menu_set(call: dict[str, Any]) -> bool:
    """The bot set its default command menu (briefbot does this last at start-up)."""
    return call["method"] == "setMyCommands" and not call["params"].get("scope")


class TelegramApiError(Exception):
    """An error answered to the client as ``{"ok": false, ...}``."""

    def __init__(
        self, error_code: int, description: str, parameters: JSONDict | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        """The Bot API error body."""
        body: JSONDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad_request(what: str) -> TelegramApiError:
    return TelegramApiError(400, f"Bad Request: {what}")


def _too_many_requests(retry_after: int) -> TelegramApiError:
    return TelegramApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        {"retry_after": retry_after},
    )


def wait_until(
    predicate: Callable[[], Any], timeout: float, interval: float = 0.05, message: str = ""
) -> Any:
    """Poll ``predicate`` until it returns a truthy value (returned) or raise AssertionError.

    Blocking: do not call it on the event loop that runs the bot (use ``async_wait_until``).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(message or f"condition not met within {timeout:.2f}s")
        time.sleep(interval)


async def async_wait_until(
    predicate: Callable[[], Any], timeout: float, interval: float = 0.05, message: str = ""
) -> Any:
    """Async ``wait_until``: yields to the event loop between polls."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(message or f"condition not met within {timeout:.2f}s")
        await asyncio.sleep(interval)


def _decode_value(name: str, value: Any) -> Any:
    """Decode one PTB parameter: JSON-encoded values are parsed, raw strings kept."""
    if not isinstance(value, str) or name in _RAW_STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """Validate Telegram-style HTML like the real server and return the plain text.

    Raises TelegramApiError(400, "Bad Request: can't parse entities: ...") on bad markup.
    """
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch == "<":
            match = _TAG_RE.match(text, pos)
            offset = len(text[:pos].encode())
            if match is None:
                raise _bad_request(
                    f'can\'t parse entities: Unsupported start tag "" at byte offset {offset}'
                )
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3) or ""
            if name not in _ALLOWED_HTML_TAGS:
                kind = "end" if closing else "start"
                raise _bad_request(
                    f'can\'t parse entities: Unsupported {kind} tag "{name}" '
                    f"at byte offset {offset}"
                )
            if closing:
                if not stack:
                    raise _bad_request(
                        f"can't parse entities: Unexpected end tag at byte offset {offset}"
                    )
                expected = stack.pop()
                if expected != name:
                    raise _bad_request(
                        f"can't parse entities: Unmatched end tag at byte offset {offset}, "
                        f'expected "</{expected}>", found "</{name}>"'
                    )
            else:
                if name == "span" and "tg-spoiler" not in attrs:
                    raise _bad_request(
                        'can\'t parse entities: Tag "span" must have class "tg-spoiler" '
                        f"at byte offset {offset}"
                    )
                stack.append(name)
            pos = match.end()
        elif ch == "&":
            match = _ENTITY_RE.match(text, pos)
            if match is None:
                out.append("&")
                pos += 1
            else:
                out.append(html.unescape(match.group(0)))
                pos = match.end()
        else:
            out.append(ch)
            pos += 1
    if stack:
        raise _bad_request(
            f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(out)


def _read_chunked(rfile: Any) -> bytes:
    chunks: list[bytes] = []
    while True:
        size_line = rfile.readline(65537)
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        chunks.append(rfile.read(size))
        rfile.readline(65537)


def _header_params(value: str) -> tuple[str, dict[str, str]]:
    """Split ``type/sub; a=b; c="d"`` into ("type/sub", {"a": "b", "c": "d"})."""
    parts = [p.strip() for p in value.split(";")]
    params: dict[str, str] = {}
    for part in parts[1:]:
        if "=" in part:
            key, _, val = part.partition("=")
            val = val.strip()
            if len(val) >= 2 and val[0] == val[-1] == '"':
                val = val[1:-1]
            params[key.strip().lower()] = val
    return parts[0].lower(), params


def parse_multipart(body: bytes, boundary: str) -> JSONDict:
    """Parse a multipart/form-data body: text fields as str, file parts as dicts."""
    result: JSONDict = {}
    delimiter = b"--" + boundary.encode("latin-1")
    for raw_part in body.split(delimiter)[1:]:
        if raw_part.startswith(b"--"):
            break
        part = raw_part[2:] if raw_part.startswith(b"\r\n") else raw_part
        if part.endswith(b"\r\n"):
            part = part[:-2]
        head, _, content = part.partition(b"\r\n\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if ":" in line:
                key, _, val = line.partition(":")
                headers[key.strip().lower()] = val.strip()
        _, disposition = _header_params(headers.get("content-disposition", ""))
        name = disposition.get("name")
        if name is None:
            continue
        if "filename" in disposition:
            result[name] = {
                "filename": disposition["filename"],
                "content_type": headers.get("content-type", "application/octet-stream"),
                "content": content,
            }
        else:
            result[name] = content.decode("utf-8")
    return result


def image_size(content: bytes) -> tuple[int, int] | None:
    """(width, height) of PNG or JPEG bytes; None for anything else."""
    if content[:8] == b"\x89PNG\r\n\x1a\n" and content[12:16] == b"IHDR":
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    if content[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 < len(content) and content[i] == 0xFF:
        marker, length = content[i + 1], int.from_bytes(content[i + 2 : i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start-of-frame
            return int.from_bytes(content[i + 7 : i + 9], "big"), int.from_bytes(
                content[i + 5 : i + 7], "big"
            )
        i += 2 + length
    return None


class _Server(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeTelegram

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that went away (dropped long polls)."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        if self.fake._stopping:
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        """Track the connection so stop() can close keep-alive sockets."""
        super().setup()
        self.server.fake._track_connection(self.connection, add=True)

    def finish(self) -> None:
        """Untrack the connection; ignore clients that went away."""
        with contextlib.suppress(OSError):
            super().finish()
        self.server.fake._track_connection(self.connection, add=False)

    def handle(self) -> None:
        """Serve requests; a client dropping the connection is not an error."""
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            super().handle()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no access log."""

    def do_GET(self) -> None:
        """Serve API calls (GET is allowed by the Bot API) and file downloads."""
        self._dispatch()

    def do_POST(self) -> None:
        """Serve API calls."""
        self._dispatch()

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return _read_chunked(self.rfile)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        # One write for headers and body: two small writes meet Nagle + delayed ACK (~40 ms).
        head = (
            f"{self.protocol_version} {status} {HTTPStatus(status).phrase}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "\r\n"
        )
        self.wfile.write(head.encode("latin-1") + body)
        self.wfile.flush()

    def _send_json(self, status: int, payload: JSONDict) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _dispatch(self) -> None:
        fake = self.server.fake
        body = self._read_body()
        split = urlsplit(self.path)
        path = unquote(split.path)
        if path.startswith("/file/bot"):
            token, _, file_path = path[len("/file/bot") :].partition("/")
            fake._note_token(token)
            content = fake._file_content(file_path)
            if content is None:
                self._send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            else:
                self._send(200, content, "application/octet-stream")
            return
        if not path.startswith("/bot") or path.count("/") != 2:
            self._send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, _, method = path[len("/bot") :].partition("/")
        try:
            raw = self._parse_params(split.query, body)
        except ValueError as exc:
            self._send_json(400, _bad_request(f"can't parse request: {exc}").payload())
            return
        status, payload = fake._handle_api(token, method, raw)
        name = fake._method_names.get(method.lower(), method)
        if fake._take_drop(name):
            # The call took effect, but the answer never arrives (a dropped connection).
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send_json(status, payload)

    def _parse_params(self, query: str, body: bytes) -> JSONDict:
        raw: JSONDict = dict(parse_qsl(query, keep_blank_values=True))
        content_type, ctype_params = _header_params(self.headers.get("Content-Type", ""))
        if not body:
            pass
        elif content_type == "application/json":
            decoded = json.loads(body)
            if not isinstance(decoded, dict):
                raise ValueError("JSON body must be an object")
            raw.update(decoded)
        elif content_type == "multipart/form-data":
            raw.update(parse_multipart(body, ctype_params.get("boundary", "")))
        else:
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return {name: _decode_value(name, value) for name, value in raw.items()}


class FakeTelegram:
    """A thread-safe fake Bot API server. Use ``with FakeTelegram() as fake:`` or start()/stop()."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, max_poll_timeout: float = 2.0):
        self.host = host
        self.max_poll_timeout = max_poll_timeout
        self.bot_user: JSONDict = dict(BOT_USER)
        self.token_seen: str | None = None
        # When set, any other token is answered 401 Unauthorized (a wrong or revoked token).
        self.valid_token: str | None = None
        # The clock of the rate-limit window (tests may fix it to stay deterministic under load).
        self.clock: Callable[[], float] = time.monotonic
        self.errors: list[str] = []
        self._requested_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._stopping = False
        self._connections: set[socket.socket] = set()
        self._calls: list[Call] = []
        self._updates: deque[tuple[int, JSONDict]] = deque()
        self._next_update_id = 1
        self._next_message_id: dict[Any, int] = {}
        self._next_callback_id = 1
        self._next_file_id = 1
        self._messages: dict[tuple[Any, int], JSONDict] = {}
        self._files: dict[str, tuple[bytes, str, int]] = {}
        self._commands: dict[str, list[JSONDict]] = {}
        self._webhook_url = ""
        self._fail_next: dict[str, deque[TelegramApiError]] = {}
        self._rate_limits: dict[str, tuple[float, int, deque[float]]] = {}
        self._blocked: set[Any] = set()
        self._chat_admins: dict[Any, set[int]] = {}
        self._drop_next: dict[str, int] = {}
        self._handlers: dict[str, Callable[[JSONDict], Any]] = {
            "getMe": lambda p: dict(self.bot_user),
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._require(True, "callback_query_id"),
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getFile": self._get_file,
            "sendChatAction": self._require(True, "chat_id", "action"),
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "deleteMessage": self._require(True, "chat_id", "message_id"),
            "setMyDescription": lambda p: True,
            "setMyShortDescription": lambda p: True,
            "setChatMenuButton": lambda p: True,
            "close": lambda p: True,
            "logOut": lambda p: True,
        }
        self._method_names = {name.lower(): name for name in self._handlers}

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeTelegram:
        """Bind (port 0 picks a free port) and serve on a daemon thread."""
        if self._server is not None:
            return self
        self._stopping = False
        server = _Server((self.host, self._requested_port), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-telegram-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake long polls and close every open connection."""
        server = self._server
        if server is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port (after start())."""
        if self._server is None:
            raise RuntimeError("FakeTelegram is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """Pass to ApplicationBuilder().base_url(...); PTB appends the token."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Pass to ApplicationBuilder().base_file_url(...); PTB appends the token."""
        return f"http://{self.host}:{self.port}/file/bot"

    # ----------------------------------------------------------------- recorded calls

    @property
    def calls(self) -> list[Call]:
        """Snapshot of every API call: {method, params, time, token, ok, error_code}."""
        with self._lock:
            return list(self._calls)

    def clear_calls(self) -> None:
        """Forget recorded calls."""
        with self._lock:
            self._calls.clear()

    def calls_of(self, method: str, ok: bool | None = None) -> list[Call]:
        """Recorded calls of one method; ``ok`` filters by success/failure."""
        return [c for c in self.calls if c["method"] == method and (ok is None or c["ok"] is ok)]

    def sent_messages(self, chat_id: int | str | None = None) -> list[JSONDict]:
        """Params of successful sendMessage calls, optionally for one chat."""
        return [
            c["params"]
            for c in self.calls_of("sendMessage", ok=True)
            if chat_id is None or c["params"].get("chat_id") == chat_id
        ]

    def message(self, chat_id: int | str, message_id: int) -> JSONDict | None:
        """Current state of a message the fake knows (sent, pushed or edited)."""
        with self._lock:
            msg = self._messages.get((chat_id, message_id))
            return json.loads(json.dumps(self._public(msg))) if msg is not None else None

    def _matching(self, matcher: CallMatcher) -> list[Call]:
        if isinstance(matcher, str):
            return self.calls_of(matcher, ok=True)
        return [c for c in self.calls if matcher(c)]

    def _dump(self, matcher: CallMatcher, count: int, found: int, timeout: float) -> str:
        what = matcher if isinstance(matcher, str) else getattr(matcher, "__name__", "predicate")
        lines = [f"timed out after {timeout:.2f}s waiting for {count} x {what} (found {found})"]
        lines.append("recorded calls (getUpdates omitted):")
        for c in self.calls:
            if c["method"] == "getUpdates":
                continue
            status = "ok" if c["ok"] else f"error {c['error_code']}"
            params = {
                k: (f"<{len(v['content'])} bytes>" if isinstance(v, dict) and "content" in v else v)
                for k, v in c["params"].items()
            }
            lines.append(f"  {c['method']} [{status}] {params}")
        if self.errors:
            lines.append(f"server errors: {self.errors}")
        return "\n".join(lines)

    def wait_for(self, matcher: CallMatcher, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Block until ``count`` calls match; return them. A method name matches successful calls.

        Blocking: from async tests use ``await fake.wait_for_async(...)`` instead.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self._matching(matcher)
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._dump(matcher, count, len(found), timeout))
                self._cond.wait(min(remaining, 0.1))

    async def wait_for_async(
        self, matcher: CallMatcher, count: int = 1, timeout: float = 10.0
    ) -> list[Call]:
        """Like wait_for, but yields to the event loop (for bots running in the same loop)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self._matching(matcher)
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(self._dump(matcher, count, len(found), timeout))
            await asyncio.sleep(0.02)

    # ----------------------------------------------------------------- injecting updates

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue an update; assigns (overwrites) update_id. Returns the queued dict."""
        with self._cond:
            update = dict(update)
            update["update_id"] = self._next_update_id
            self._next_update_id += 1
            self._updates.append((update["update_id"], update))
            self._cond.notify_all()
            return update

    def push_raw(self, update: Any) -> Any:
        """Queue anything as-is (malformed updates); an int update_id in it is honoured."""
        with self._cond:
            uid = update.get("update_id") if isinstance(update, dict) else None
            if not isinstance(uid, int) or isinstance(uid, bool):
                uid = self._next_update_id
            self._next_update_id = max(self._next_update_id, uid + 1)
            self._updates.append((uid, update))
            self._cond.notify_all()
            return update

    @property
    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by an offset."""
        with self._lock:
            return len(self._updates)

    def _new_message_id(self, chat_id: Any) -> int:
        with self._lock:
            mid = self._next_message_id.get(chat_id, 0) + 1
            self._next_message_id[chat_id] = mid
            return mid

    @staticmethod
    def _user(user_id: int, username: str | None, first_name: str | None = None) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name or "Test"}
        if username:
            user["username"] = username
        return user

    @staticmethod
    def _chat(chat_id: Any, chat_type: str, user: JSONDict | None = None) -> JSONDict:
        chat: JSONDict = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = (user or {}).get("first_name", "Test")
            if user and "username" in user:
                chat["username"] = user["username"]
        else:
            chat["title"] = f"Test {chat_type} {chat_id}"
        return chat

    def push_message(
        self,
        chat_id: int,
        text: str | None = None,
        user_id: int | None = None,
        chat_type: str = "private",
        username: str | None = "tester",
        first_name: str = "Test",
        document: JSONDict | None = None,
        caption: str | None = None,
        entities: list[JSONDict] | None = None,
        message_thread_id: int | None = None,
    ) -> JSONDict:
        """Queue a user message; a leading /command gets a bot_command entity. Returns the update.

        ``user_id`` defaults to ``chat_id`` for private chats and 1001 otherwise. ``document`` is
        {file_id, file_name, mime_type, file_size}; file_size and file_unique_id are filled in.
        ``message_thread_id`` makes it a message in that forum topic (the chat becomes a forum).
        ``chat_type="channel"`` queues a channel_post (no sender user, like Telegram).
        """
        if user_id is None:
            user_id = chat_id if chat_type == "private" else 1001
        user = self._user(user_id, username, first_name)
        message: JSONDict = {
            "message_id": self._new_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id, chat_type, user),
            "from": user,
        }
        if message_thread_id is not None:
            message["message_thread_id"] = message_thread_id
            message["is_topic_message"] = True
            message["chat"]["is_forum"] = True
        if chat_type == "channel":
            del message["from"]
            message["sender_chat"] = dict(message["chat"])
        if text is not None:
            message["text"] = text
            auto = self._command_entities(text)
            if entities is not None or auto:
                message["entities"] = entities if entities is not None else auto
        if document is not None:
            doc = dict(document)
            doc.setdefault("file_id", f"file-{self._next_file_id}")
            doc.setdefault("file_unique_id", f"uniq-{doc['file_id']}")
            with self._lock:
                known = self._files.get(doc["file_id"])
            if known is not None:
                doc.setdefault("file_size", known[2])
            message["document"] = doc
            if caption is not None:
                message["caption"] = caption
                auto = self._command_entities(caption)
                if auto:
                    message["caption_entities"] = auto
        with self._lock:
            self._messages[(chat_id, message["message_id"])] = message
        return self.push_update({"channel_post" if chat_type == "channel" else "message": message})

    @staticmethod
    def _command_entities(text: str) -> list[JSONDict]:
        match = _BOT_COMMAND_RE.match(text)
        if match is None:
            return []
        return [{"type": "bot_command", "offset": 0, "length": _utf16_len(match.group(0))}]

    def push_callback(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        user_id: int | None = None,
        chat_type: str = "private",
        username: str | None = "tester",
    ) -> JSONDict:
        """Queue a callback_query for a button on message ``message_id``. Returns the update.

        The attached message is the one the fake knows (e.g. sent by the bot), else a stub.
        """
        if user_id is None:
            user_id = chat_id if chat_type == "private" else 1001
        user = self._user(user_id, username)
        with self._lock:
            known = self._messages.get((chat_id, message_id))
            message = (
                json.loads(json.dumps(self._public(known)))
                if known is not None
                else {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": self._chat(chat_id, chat_type, user),
                    "from": dict(self.bot_user),
                    "text": "",
                }
            )
            query_id = str(self._next_callback_id)
            self._next_callback_id += 1
        callback = {
            "id": query_id,
            "from": user,
            "chat_instance": f"ci-{chat_id}",
            "data": data,
            "message": message,
        }
        return self.push_update({"callback_query": callback})

    # ----------------------------------------------------------------- files

    def add_file(
        self,
        file_id: str,
        content: bytes,
        file_path: str = "documents/x.txt",
        file_size: int | None = None,
    ) -> None:
        """Register a file for getFile and serve it at /file/bot<TOKEN>/<file_path>.

        ``file_size`` overrides the reported size (e.g. to simulate a file over 20 MB).
        """
        with self._lock:
            size = len(content) if file_size is None else file_size
            self._files[file_id] = (content, file_path, size)

    def _file_content(self, file_path: str) -> bytes | None:
        with self._lock:
            for content, path, _ in self._files.values():
                if path == file_path:
                    return content
        return None

    # ----------------------------------------------------------------- failure injection

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        retry_after: int = 1,
        count: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail (429 with retry_after by default)."""
        if error_code == 429:
            error = _too_many_requests(retry_after)
            if description:
                error.description = description
        else:
            error = TelegramApiError(error_code, description or f"Error {error_code}")
        with self._lock:
            queue = self._fail_next.setdefault(method, deque())
            queue.extend([error] * count)

    def limit_rate(
        self, method: str = "sendMessage", per_second: float | None = 30, retry_after: int = 1
    ) -> None:
        """Answer 429 to calls of ``method`` above ``per_second`` in a sliding 1 s window.

        Only accepted calls count towards the window. ``per_second=None`` removes the limit.
        """
        with self._lock:
            if per_second is None:
                self._rate_limits.pop(method, None)
            else:
                self._rate_limits[method] = (per_second, retry_after, deque())

    def drop_after_next(self, method: str, count: int = 1) -> None:
        """Handle the next ``count`` calls of ``method`` (recorded, ok) but drop the connection
        instead of answering: the client cannot know whether the call took effect."""
        with self._lock:
            self._drop_next[method] = self._drop_next.get(method, 0) + count

    def _take_drop(self, method: str) -> bool:
        with self._lock:
            left = self._drop_next.get(method, 0)
            if left <= 0:
                return False
            self._drop_next[method] = left - 1
            return True

    def set_chat_admins(self, chat_id: int, user_ids: set[int] | list[int]) -> None:
        """The users getChatMember reports as administrators of a group or channel."""
        with self._lock:
            self._chat_admins[chat_id] = set(user_ids)

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat_id, user_id = params.get("chat_id"), params.get("user_id")
        if chat_id in (None, "") or not isinstance(user_id, int):
            raise _bad_request("user not found")
        with self._lock:
            admins = self._chat_admins.get(chat_id, set())
        status = "administrator" if user_id in admins else "member"
        member: JSONDict = {"status": status, "user": self._user(user_id, None)}
        if status == "administrator":
            member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
            )
        return member

    def _get_chat_administrators(self, params: JSONDict) -> list[JSONDict]:
        chat_id = params.get("chat_id")
        with self._lock:
            admins = sorted(self._chat_admins.get(chat_id, set()))
        return [self._get_chat_member({"chat_id": chat_id, "user_id": uid}) for uid in admins]

    def block_chat(self, chat_id: int | str) -> None:
        """Calls with this chat_id (sendMessage, sendDocument, edits, ...) answer 403."""
        with self._lock:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int | str) -> None:
        """Undo block_chat."""
        with self._lock:
            self._blocked.discard(chat_id)

    def _injected_failure(self, method: str, params: JSONDict) -> TelegramApiError | None:
        with self._lock:
            queue = self._fail_next.get(method)
            if queue:
                return queue.popleft()
            if method != "getUpdates" and params.get("chat_id") in self._blocked:
                return TelegramApiError(403, "Forbidden: bot was blocked by the user")
            limit = self._rate_limits.get(method)
            if limit is not None:
                per_second, retry_after, window = limit
                now = self.clock()
                while window and now - window[0] >= 1.0:
                    window.popleft()
                if len(window) >= per_second:
                    return _too_many_requests(retry_after)
                window.append(now)
        return None

    # ----------------------------------------------------------------- dispatch

    def _track_connection(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _note_token(self, token: str) -> None:
        with self._lock:
            self.token_seen = token

    def _handle_api(self, token: str, method: str, params: JSONDict) -> tuple[int, JSONDict]:
        self._note_token(token)
        name = self._method_names.get(method.lower(), method)
        handler = self._handlers.get(name)
        try:
            if self.valid_token is not None and token != self.valid_token:
                raise TelegramApiError(401, "Unauthorized")
            if handler is None:
                raise TelegramApiError(404, "Not Found: method not found")
            failure = self._injected_failure(name, params)
            if failure is not None:
                raise failure
            status, payload = 200, {"ok": True, "result": handler(params)}
        except TelegramApiError as exc:
            status, payload = exc.error_code, exc.payload()
        except Exception as exc:  # a bug in the fake: report it, do not hang the client
            with self._lock:
                self.errors.append(f"{name}: {exc!r}")
            status, payload = (
                500,
                TelegramApiError(500, f"Internal Server Error: {exc!r}").payload(),
            )
        with self._cond:
            self._calls.append(
                {
                    "method": name,
                    "params": params,
                    "time": time.monotonic(),
                    "token": token,
                    "ok": payload["ok"],
                    "error_code": payload.get("error_code"),
                }
            )
            self._cond.notify_all()
        return status, payload

    @staticmethod
    def _require(result: Any, *names: str) -> Callable[[JSONDict], Any]:
        def handler(params: JSONDict) -> Any:
            for name in names:
                if params.get(name) in (None, ""):
                    raise _bad_request(f"{name} is empty")
            return result

        return handler

    # ----------------------------------------------------------------- API methods

    def _get_updates(self, params: JSONDict) -> list[Any]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(max(float(params.get("timeout") or 0), 0.0), self.max_poll_timeout)
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._webhook_url:
                raise TelegramApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            while True:
                if offset > 0:
                    while self._updates and self._updates[0][0] < offset:
                        self._updates.popleft()
                elif offset < 0:
                    while len(self._updates) > -offset:
                        self._updates.popleft()
                batch = [u for _, u in list(self._updates)[:limit]]
                if batch or self._stopping:
                    return batch
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._cond.wait(remaining)

    def _check_text(self, text: Any, parse_mode: Any, limit: int, what: str) -> str:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        plain = parse_html(text) if str(parse_mode).lower() == "html" else text
        if what == "text" and not plain.strip():
            raise _bad_request("message text is empty")
        if len(plain) > limit:
            raise _bad_request(
                "message is too long" if what == "text" else "message caption is too long"
            )
        return plain

    @staticmethod
    def _inline_markup(params: JSONDict) -> JSONDict | None:
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            return markup
        return None

    def _chat_of(self, chat_id: Any) -> JSONDict:
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Test"}
        if isinstance(chat_id, int):
            return {"id": chat_id, "type": "supergroup", "title": f"Test group {chat_id}"}
        return {"id": -1000000000001, "type": "channel", "title": str(chat_id)}

    def _new_bot_message(self, params: JSONDict, extra: JSONDict) -> JSONDict:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise _bad_request("chat_id is empty")
        message: JSONDict = {
            "message_id": self._new_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat_of(chat_id),
            "from": dict(self.bot_user),
            **extra,
        }
        if isinstance(params.get("message_thread_id"), int):
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        markup = self._inline_markup(params)
        if markup is not None:
            message["reply_markup"] = markup
        with self._lock:
            self._messages[(chat_id, message["message_id"])] = {
                **message,
                "_raw": {"text": params.get("text"), "reply_markup": markup},
            }
        return message

    def _send_message(self, params: JSONDict) -> JSONDict:
        plain = self._check_text(
            params.get("text"), params.get("parse_mode"), MAX_TEXT_LENGTH, "text"
        )
        return self._new_bot_message(params, {"text": plain})

    def _send_document(self, params: JSONDict) -> JSONDict:
        document = params.get("document")
        if document in (None, ""):
            raise _bad_request("there is no document in the request")
        extra: JSONDict = {}
        if params.get("caption"):
            extra["caption"] = self._check_text(
                params["caption"], params.get("parse_mode"), MAX_CAPTION_LENGTH, "caption"
            )
        with self._lock:
            if isinstance(document, dict):
                file_id = f"sent-doc-{self._next_file_id}"
                self._next_file_id += 1
                content = document.get("content", b"")
                name = document.get("filename") or "document"
                self._files[file_id] = (content, f"documents/{file_id}/{name}", len(content))
                doc: JSONDict = {
                    "file_id": file_id,
                    "file_unique_id": f"uniq-{file_id}",
                    "file_name": name,
                    "mime_type": document.get("content_type", "application/octet-stream"),
                    "file_size": len(content),
                }
            else:
                file_id = str(document)
                known = self._files.get(file_id)
                doc = {"file_id": file_id, "file_unique_id": f"uniq-{file_id}"}
                if known is not None:
                    doc["file_size"] = known[2]
        extra["document"] = doc
        return self._new_bot_message(params, extra)

    def _send_photo(self, params: JSONDict) -> JSONDict:
        """A new photo (multipart, like sendDocument) or a known one by file_id; PNG and JPEG
        uploads only, within Telegram's size and shape limits."""
        photo = params.get("photo")
        if photo in (None, ""):
            raise _bad_request("there is no photo in the request")
        extra: JSONDict = {}
        if params.get("caption"):
            extra["caption"] = self._check_text(
                params["caption"], params.get("parse_mode"), MAX_CAPTION_LENGTH, "caption"
            )
        with self._lock:
            if isinstance(photo, dict):
                content = photo.get("content", b"")
                size = image_size(content)
                if size is None:
                    raise _bad_request("IMAGE_PROCESS_FAILED")
                width, height = size
                if (
                    len(content) > MAX_PHOTO_SIZE
                    or not width
                    or not height
                    or width + height > 10_000
                    or max(width, height) > 20 * min(width, height)
                ):
                    raise _bad_request("PHOTO_INVALID_DIMENSIONS")
                file_id = f"sent-photo-{self._next_file_id}"
                self._next_file_id += 1
                self._files[file_id] = (content, f"photos/{file_id}.png", len(content))
                sizes: list[JSONDict] = [
                    {
                        "file_id": file_id,
                        "file_unique_id": f"uniq-{file_id}",
                        "width": width,
                        "height": height,
                        "file_size": len(content),
                    }
                ]
            else:
                file_id = str(photo)
                known = self._files.get(file_id)
                if known is None:
                    raise _bad_request("wrong file identifier/HTTP URL specified")
                sizes = [
                    {
                        "file_id": file_id,
                        "file_unique_id": f"uniq-{file_id}",
                        "width": 0,
                        "height": 0,
                        "file_size": known[2],
                    }
                ]
        extra["photo"] = sizes
        return self._new_bot_message(params, extra)

    def _stored_message(self, params: JSONDict) -> tuple[Any, JSONDict]:
        chat_id = params.get("chat_id")
        message_id = params.get("message_id")
        if chat_id in (None, "") or not isinstance(message_id, int):
            raise _bad_request("message to edit not found")
        with self._lock:
            stored = self._messages.get((chat_id, message_id))
            if stored is None:  # unknown to the fake (e.g. made up by a test): accept it
                stored = {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": self._chat_of(chat_id),
                    "from": dict(self.bot_user),
                    "text": "",
                }
                self._messages[(chat_id, message_id)] = stored
        return chat_id, stored

    @staticmethod
    def _public(message: JSONDict) -> JSONDict:
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def _edit_message_text(self, params: JSONDict) -> Any:
        plain = self._check_text(
            params.get("text"), params.get("parse_mode"), MAX_TEXT_LENGTH, "text"
        )
        if params.get("inline_message_id"):
            return True
        _, stored = self._stored_message(params)
        with self._lock:
            raw = stored.get("_raw", {})
            markup = self._inline_markup(params)
            if (
                "_raw" in stored
                and raw.get("text") == params.get("text")
                and self._inline_markup(raw) == markup
            ):
                raise _bad_request(
                    "message is not modified: specified new message content and reply markup "
                    "are exactly the same as a current content and reply markup of the message"
                )
            stored["text"] = plain
            stored["edit_date"] = int(time.time())
            stored["_raw"] = {"text": params.get("text"), "reply_markup": markup}
            if markup is not None:
                stored["reply_markup"] = markup
            else:
                stored.pop("reply_markup", None)
            return self._public(stored)

    def _edit_message_reply_markup(self, params: JSONDict) -> Any:
        if params.get("inline_message_id"):
            return True
        _, stored = self._stored_message(params)
        with self._lock:
            markup = self._inline_markup(params)
            if markup is not None:
                stored["reply_markup"] = markup
            else:
                stored.pop("reply_markup", None)
            raw = stored.setdefault("_raw", {"text": stored.get("text")})
            raw["reply_markup"] = markup
            stored["edit_date"] = int(time.time())
            return self._public(stored)

    @staticmethod
    def _commands_key(params: JSONDict) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("commands must be an array")
        if len(commands) > 100:
            raise _bad_request("too many commands")
        for command in commands:
            if not isinstance(command, dict):
                raise _bad_request("BOT_COMMAND_INVALID")
            name = command.get("command", "")
            description = command.get("description", "")
            if not isinstance(name, str) or not _COMMAND_NAME_RE.match(name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        with self._lock:
            self._commands[self._commands_key(params)] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        with self._lock:
            return list(self._commands.get(self._commands_key(params), []))

    def _delete_my_commands(self, params: JSONDict) -> bool:
        with self._lock:
            self._commands.pop(self._commands_key(params), None)
        return True

    def _set_webhook(self, params: JSONDict) -> bool:
        url = params.get("url") or ""
        with self._lock:
            self._webhook_url = str(url)
            if params.get("drop_pending_updates"):
                self._updates.clear()
        return True

    def _delete_webhook(self, params: JSONDict) -> bool:
        with self._lock:
            self._webhook_url = ""
            if params.get("drop_pending_updates"):
                self._updates.clear()
        return True

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        with self._lock:
            return {
                "url": self._webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }

    def _get_file(self, params: JSONDict) -> JSONDict:
        file_id = params.get("file_id")
        with self._lock:
            known = self._files.get(str(file_id)) if file_id else None
        if known is None:
            raise _bad_request("invalid file_id")
        _, path, size = known
        if size > MAX_DOWNLOAD_SIZE:
            raise _bad_request("file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"uniq-{file_id}",
            "file_size": size,
            "file_path": path,
        }
