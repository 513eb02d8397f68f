"""Headline-only items count as coverage; admins mend grouping with /merge and /split (and the CLI).

Real SQLite, the real ingest path (``save_article``) and the real command layer; invented texts.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from cli_runner import CliResult, run_cli
from test_stories_events import BLAST, DEBATES

from bot.chat.commands import Caller, Commands
from bot.chat.reply import Reply
from bot.config import Settings
from bot.sources.ingest import save_article
from bot.sources.live import doc_from_entry
from bot.store import Store
from summarizer.models import CleanDoc
from summarizer.read.feeds import FeedEntry

ADMIN = Caller(chat_id=1, user_id=1, is_admin=True)
READER = Caller(chat_id=2, user_id=2, is_admin=False)
OUTLETS = ("Capital Wire", "Meridian Post", "Valley Courier", "Harbor Ledger")


def _fill(store: Store) -> dict[str, tuple[int, int]]:
    """The blast coverage (with one headline-only item) and the first debate; title -> (article, story)."""
    out: dict[str, tuple[int, int]] = {}
    items = [*BLAST, *DEBATES[:2]]
    for n, (when, title, text) in enumerate(items):
        doc = CleanDoc(title=title, text=text, outlet=OUTLETS[n % 4], published=when)
        got = save_article(store, doc, f"item{n}")
        assert got.story_id is not None and got.duplicate_of is None
        out[title] = (got.id, got.story_id)
    return out


def _say(cmds: Commands, line: str, caller: Caller = ADMIN) -> Reply:
    return asyncio.run(cmds.handle(line, caller))


def _words(reply: Reply) -> str:
    return json.dumps([[[s.text for s in seg] for seg in p] for p in reply.paragraphs])


def test_headline_only_item_is_coverage_but_never_briefing_text(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        ids = _fill(store)
        headline = BLAST[2][1]
        short_id, story_id = ids[headline]
        assert {ids[t][1] for _, t, _ in BLAST} == {story_id}
        article = store.article(short_id)
        assert article is not None and article.short
        assert not any(a.short for a in store.articles([ids[t][0] for _, t, x in BLAST if x]))
        cmds = Commands(store, Settings())
        sources: Any = _say(cmds, f"/sources {story_id}").data
        assert isinstance(sources, dict)
        assert short_id in [s["article_id"] for s in sources["sources"]]
        brief: Any = _say(cmds, f"/brief {story_id}").data
        assert isinstance(brief, dict)
        assert headline in [f["title"] for f in brief["framings"]]
        assert brief["sentences"], "the full articles still make a briefing"
        for sentence in brief["sentences"]:
            assert short_id not in sentence["article_ids"]


def test_a_feed_entry_with_only_a_headline_is_stored_short_in_its_story(tmp_path: Path) -> None:
    when, title, _ = BLAST[2]
    doc = doc_from_entry(FeedEntry(url="https://news.example/union", title=title, published=when), None)
    assert (doc.title, doc.text, doc.published) == (title, "", when)
    with Store(tmp_path / "f.db") as store:
        blast = [
            save_article(store, CleanDoc(t, x, OUTLETS[n], published=w), f"b{n}").story_id
            for n, (w, t, x) in enumerate(BLAST)
            if x
        ]
        got = save_article(store, doc, doc.url)
        assert got.duplicate_of is None and got.story_id == blast[0]
        stored = store.article(got.id)
        assert stored is not None and stored.short
        other = doc_from_entry(FeedEntry(url="https://news.example/x", title=DEBATES[0][1]), None)
        assert save_article(store, other, other.url).duplicate_of is None  # not "the same" text


def test_merge_and_split_are_admin_only_and_recompute_views(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as store:
        ids = _fill(store)
        blast = ids[BLAST[0][1]][1]
        debate = ids[DEBATES[0][1]][1]
        assert blast != debate
        cmds = Commands(store, Settings())
        for line in (f"/merge {blast} {debate}", f"/split {blast} {ids[BLAST[1][1]][0]}"):
            assert "only the bot's admins" in _words(_say(cmds, line, READER))
        assert store.story(debate) is not None  # nothing changed

        assert "Usage: /merge A B" in _words(_say(cmds, "/merge 1"))
        assert "Usage: /split STORY ARTICLE" in _words(_say(cmds, "/split one two"))
        assert "there is no story #999" in _words(_say(cmds, f"/merge {blast} 999"))
        assert "not in story" in _words(_say(cmds, f"/split {debate} {ids[BLAST[0][1]][0]}"))

        before = store.story(blast)
        assert before is not None
        merged = _say(cmds, f"/merge #{blast} #{debate}")
        assert isinstance(merged.data, dict) and merged.data["mended"] == [blast]
        after = store.story(blast)
        assert after is not None and store.story(debate) is None
        assert set(after.article_ids) == {a for a, _ in ids.values()}
        assert store.cached_briefing(blast) is not None  # views recomputed, not left stale

        moved = ids[DEBATES[1][1]][0]
        split: Any = _say(cmds, f"/split {blast} {moved}").data
        assert isinstance(split, dict)
        new_id = split["mended"][1]
        new_story = store.story(new_id)
        assert new_story is not None and new_story.article_ids == (moved,)
        rest = store.story(blast)
        assert rest is not None and moved not in rest.article_ids
        assert store.cached_briefing(new_id) is not None and store.cached_briefing(blast) is not None
        assert "only article" in _words(_say(cmds, f"/split {new_id} {moved}"))


def test_cli_merge_and_split(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    with Store(db) as store:
        ids = _fill(store)
    blast, debate = ids[BLAST[0][1]][1], ids[DEBATES[0][1]][1]

    def cli(*args: str) -> CliResult:
        return run_cli(tmp_path, "--db", str(db), *args)

    merged = cli("merge", str(blast), str(debate), "--json")
    assert merged.returncode == 0, merged.stderr
    assert [s["id"] for s in json.loads(merged.stdout)["stories"]] == [blast]
    moved = ids[BLAST[3][1]][0]
    split = cli("split", str(blast), str(moved))
    assert split.returncode == 0, split.stderr
    assert f"Article {moved} left story #{blast}" in split.stdout
    bad = cli("merge", str(blast), str(blast))
    assert bad.returncode != 0 and "cannot merge" in bad.stderr
    stories = json.loads(cli("stories", "--json").stdout)["stories"]
    assert any(s["article_ids"] == [moved] for s in stories)
    assert not any(s["id"] == debate for s in stories)
