"""`briefbot chat`: the bot's commands in a local console, rendered as plain text."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.chat.commands import Caller, Commands
from bot.chat.reply import Button, Reply
from bot.config import Settings
from bot.sources.live import fetch_doc
from bot.store import Store
from summarizer.models import CleanDoc

BANNER = (
    "briefbot console: the same commands as the Telegram bot. /help lists them, "
    "a number presses a button, /quit leaves."
)


def render_console(reply: Reply, buttons: list[Button]) -> str:
    """Plain text with numbered buttons (``buttons`` is filled with what the numbers press)."""
    out = []
    for p in reply.paragraphs:
        lines = []
        for ln in p:
            lines.append(
                "".join(s.text + (f" <{s.url}>" if s.url and not s.italic else "") for s in ln)
            )
        out.append("\n".join(lines))
    buttons.clear()
    for row in reply.buttons:
        buttons.extend(row)
    if buttons:
        out.append("  ".join(f"[{i}] {b.text}" for i, b in enumerate(buttons, start=1)))
    return "\n\n".join(out)


async def console(settings: Settings, db_path: str, stdin: TextIO, stdout: TextIO) -> int:
    """Read commands line by line until EOF or /quit, print each reply."""
    store = Store(db_path)

    async def fetcher(url: str) -> CleanDoc:
        return await fetch_doc(url, settings)

    commands = Commands(store, settings, fetcher=fetcher)
    caller = Caller(chat_id=0, user_id=None, is_admin=True)
    interactive = stdin.isatty()
    buttons: list[Button] = []
    print(BANNER, file=stdout, flush=True)
    try:
        while True:
            if interactive:
                print("you> ", end="", file=stdout, flush=True)
            raw = await asyncio.to_thread(stdin.readline)
            if not raw:
                break
            text = raw.strip()
            if not text:
                continue
            if text in ("/quit", "/exit", "quit", "exit"):
                break
            if text.isdigit() and buttons and 1 <= int(text) <= len(buttons):
                text = buttons[int(text) - 1].data
            elif not text.startswith("/"):
                text = f"/brief {text}"
            try:
                reply = await commands.handle(text, caller)
            except Exception as exc:  # the console never dies on one command
                print(f"Something went wrong: {type(exc).__name__}: {exc}", file=stdout, flush=True)
                continue
            print(render_console(reply, buttons) + "\n", file=stdout, flush=True)
            if reply.file is not None:  # in Telegram a document; here a note of what it was
                kb = max(1, len(reply.file.content) // 1024)
                print(f"[file {reply.file.name}, {kb} KB]\n", file=stdout, flush=True)
    finally:
        store.close()
    return 0


def run_console(settings: Settings, db_path: str) -> int:
    """Run the console on this process's stdin/stdout."""
    try:
        return asyncio.run(console(settings, db_path, sys.stdin, sys.stdout))
    except KeyboardInterrupt:
        return 0
