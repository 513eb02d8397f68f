"""/quotes NAME and /quotes STORY NAME show only that person's quotes (console shares this layer)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.chat import pages
from bot.chat.commands import Caller, Commands
from bot.config import Settings
from bot.sources.ingest import save_article
from bot.store import Store
from summarizer.models import CleanDoc, StoryQuote

ADMIN = Caller(chat_id=1, user_id=1, is_admin=True)


def _quotes(reply_data: object) -> list[dict[str, object]]:
    assert isinstance(reply_data, dict)
    return list(reply_data["quotes"])


def _run(cmds: Commands, line: str) -> object:
    return asyncio.run(cmds.handle(line, ADMIN)).data


_ARTICLE = (
    "Oskar Feld chaired the inquiry into the regional grants program. His deputy, Rania Aziz, "
    "wrote most of the final report.\n\n"
    "“We found no evidence of fraud,” Feld said at a news conference on Thursday. “But we found "
    "plenty of carelessness,” she added.\n\n"
    "Aziz said the department had ignored two earlier warnings. “The first letter went "
    "unanswered for eight months,” she said.\n\n"
    "Feld defended the department's staff. “These are people who were asked to do twice the "
    "work with half the team,” he said."
)


def _store(tmp_path: Path) -> tuple[Store, int]:
    store = Store(tmp_path / "q.db")
    ids = [save_article(store, CleanDoc(f"Grants inquiry finds carelessness ({o})", _ARTICLE, o),
                        f"{o}.txt").story_id for o in ("Harbour Ledger", "Valley Courier")]
    assert ids[0] == ids[1] and ids[0] is not None
    return store, ids[0]


def test_quotes_name_filters_to_that_speaker(tmp_path: Path) -> None:
    store, story_id = _store(tmp_path)
    cmds = Commands(store, Settings())
    everyone = _quotes(_run(cmds, f"/quotes {story_id}"))
    assert {q["speaker"] for q in everyone} == {"Oskar Feld", "Rania Aziz"}
    only = _quotes(_run(cmds, f"/quotes {story_id} Aziz"))
    assert len(only) == 2 and all(q["speaker"] == "Rania Aziz" for q in only)
    by_name = _quotes(_run(cmds, "/quotes Oskar Feld"))
    assert len(by_name) == 2 and all(q["speaker"] == "Oskar Feld" for q in by_name)
    reply = asyncio.run(cmds.handle(f"/quotes #{story_id} Nobody Atall", ADMIN))
    assert "No quotes by Nobody Atall" in str(reply.paragraphs)
    plain = _quotes(_run(cmds, "/quotes grants inquiry"))  # words that are no speaker: all quotes
    assert len(plain) == len(everyone)


def test_quotes_by_speaker_matches_spellings_not_other_people() -> None:
    quotes = [StoryQuote("a b c", "Maria Lopez", "", (1,), ("A",)),
              StoryQuote("d e f", "Rosa Lopez", "", (1,), ("A",)),
              StoryQuote("g h i", "Ana Berg", "", (1,), ("A",)),
              StoryQuote("j k l", "", "", (1,), ("A",))]
    assert [q.speaker for q in pages.quotes_by_speaker(quotes, "maria lopez")] == ["Maria Lopez"]
    assert [q.speaker for q in pages.quotes_by_speaker(quotes, "Berg")] == ["Ana Berg"]
    assert pages.quotes_by_speaker(quotes, "Nobody") == []
