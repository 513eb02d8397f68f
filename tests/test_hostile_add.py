"""/add keeps its reading work off the event loop: only the database write runs on it."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from pathlib import Path

from feed_server import FeedServer, Route

from bot.chat.commands import Caller, Commands
from bot.config import Settings
from bot.sources.live import fetch_url_docs
from bot.sources.prepared import prepare
from bot.store import Store
from summarizer.models import CleanDoc

WORDS = (
    "harbour board tide gauge ferry timetable mayor council vote spring budget bridge toll "
    "Vellmar port inspector quarry windows claims residents meeting approved delayed Oskarsund "
    "Brannick Tessaly Morrow Quayside Elmhurst"
).split()


def long_page(seed: int, paragraphs: int) -> str:
    """An invented article page of many paragraphs (a long read of about 400 KB)."""
    rng = random.Random(seed)
    paras = [
        " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(paragraphs)
    ]
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        "<html><head><title>Vellmar harbour long read</title></head><body><article>"
        f"<h1>Vellmar harbour long read</h1>{body}</article></body></html>"
    )


async def test_add_prepares_the_article_off_the_event_loop(tmp_path: Path) -> None:
    settings = Settings(fetch_allow=("127.0.0.1",), fetch_timeout=30.0)
    with FeedServer() as server, Store(str(tmp_path / "a.db")) as store:
        server.add("/short.html", Route(body=long_page(2, 8).encode()))
        server.add("/long.html", Route(body=long_page(1, 1000).encode()))
        cmds = Commands(store, settings, clock=lambda: datetime(2025, 3, 14, 9, tzinfo=UTC))
        cmds.fetch_many = lambda url: fetch_url_docs(url, settings)  # as the bot wires it
        admin = Caller(chat_id=1, user_id=1, is_admin=True)
        await cmds.handle(f"/add {server.url('/short.html')}", admin)  # one-time costs paid
        loop_cpu = time.thread_time()  # this coroutine's thread is the event loop's
        reply = await cmds.handle(f"/add {server.url('/long.html')}", admin)
        loop_cpu = time.thread_time() - loop_cpu
        article = store.article(int(str(reply.data["article_id"])))
        assert article is not None and len(article.text) > 150_000
        doc = CleanDoc(title=article.title, text=article.text, url=article.url)
        prepare(doc)  # warm (word lists loaded), then timed
        prepare_cpu = time.process_time()
        prepare(doc)
        prepare_cpu = time.process_time() - prepare_cpu
    # Fetching and saving cost the loop less than fingerprinting alone would have.
    assert loop_cpu < prepare_cpu, (loop_cpu, prepare_cpu)
