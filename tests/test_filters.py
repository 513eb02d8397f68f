"""Per-chat filters: the pure rule, and /mute, /only, /unmute, /filters on /stories and /brief."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from follow_corpus import wave_time, write_wave

from bot.chat.commands import Caller, Commands
from bot.chat.views import refresh_dirty
from bot.config import Settings
from bot.sources.ingest import ingest_paths
from bot.store import Store
from summarizer.brief.filters import Filter
from summarizer.models import Article, BriefSentence

ME = Caller(chat_id=31)
OTHER = Caller(chat_id=32)


def test_rule_words_are_whole_words_outlets_match_by_prefix() -> None:
    f = Filter(outlets=("Meridian",), words=("sport",), only=())
    assert f.outlet_muted("Meridian Post") and f.outlet_muted("meridian")
    assert not f.outlet_muted("Meridianville Times")
    assert f.names_muted_word("Sport results") and not f.names_muted_word("Sporting chance")
    assert f.story_visible("Bridge vote", [("Meridian Post", "x"), ("Harbor Ledger", "y")])
    assert not f.story_visible("Bridge vote", [("Meridian Post", "x")])  # all coverage muted
    assert not f.story_visible("Sport: a bridge", [("Harbor Ledger", "y")])
    only = Filter(only=("bridge",))
    assert only.story_visible("Council vote", [("A", "The bridge is approved")])
    assert not only.story_visible("Council vote", [("A", "Rates cut")])
    assert Filter().story_visible("anything", [])


def test_rule_keeps_credits_but_never_a_muted_outlets_words() -> None:
    f = Filter(outlets=("Meridian Post",))
    both = BriefSentence("A fact.", (1, 2), ("Harbor Ledger", "Meridian Post"))
    alone = BriefSentence("B fact.", (2,), ("Meridian Post",))
    quoted = BriefSentence(
        '"C," she said.', (1, 2), ("Harbor Ledger", "Meridian Post"), 0, "Meridian Post"
    )
    assert f.sentences([both, alone, quoted]) == (both,)  # still credited to Meridian Post
    # Given the articles: a sentence only the muted outlet printed word for word is not shown.
    mine = Article(id=2, title="t", text="Intro. A fact. More.", outlet="Meridian Post")
    theirs = Article(id=1, title="t", text="The same fact, other words.", outlet="Harbor Ledger")
    assert f.sentences([both], [mine, theirs]) == ()
    assert f.sentences([both], [mine, replace(theirs, text="Also: A fact.")]) == (both,)


async def test_commands_filter_stories_and_briefs(tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store:
        report = ingest_paths(store, [str(p) for p in write_wave(tmp_path / "w", 0)])
        assert not report.errors
        refresh_dirty(store)
        cmds = Commands(store, Settings(), clock=lambda: wave_time(0))
        assert "Lakeport" in (await cmds.handle("/stories", ME)).plain
        assert "No filters" in (await cmds.handle("/filters", ME)).plain
        r = await cmds.handle("/mute outlet Lakeport Courier", ME)
        assert "Muted outlet “Lakeport Courier”" in r.plain
        assert "Lakeport" in (await cmds.handle("/stories", ME)).plain  # one outlet left
        brief = (await cmds.handle("/brief", ME)).data
        sentences = brief["sentences"]
        assert isinstance(sentences, list) and sentences
        assert all(s["outlets"] != ["Lakeport Courier"] for s in sentences)
        await cmds.handle("/mute outlet island herald", ME)
        assert "ferry strike" not in (await cmds.handle("/stories", ME)).plain  # all coverage muted
        assert "ferry strike" in (await cmds.handle("/stories", OTHER)).plain  # per chat
        listed = await cmds.handle("/filters", ME)
        assert listed.data["outlets"] == ["island herald", "Lakeport Courier"]
        assert "/unmute outlet island herald" in [b.data for row in listed.buttons for b in row]
        await cmds.handle("/unmute outlet Island Herald", ME)
        assert "ferry strike" in (await cmds.handle("/stories", ME)).plain
        await cmds.handle("/unmute all", ME)
        await cmds.handle("/only word bridge", ME)
        assert "ferry strike" not in (await cmds.handle("/stories", ME)).plain
        await cmds.handle("/only word Brannock", ME)  # any "only" word lets a story through
        assert "ferry strike" in (await cmds.handle("/stories", ME)).plain
        await cmds.handle("/unmute all", ME)
        await cmds.handle("/mute word brannock", ME)
        assert "ferry strike" not in (await cmds.handle("/stories", ME)).plain  # its title names it
        assert "Usage: /mute" in (await cmds.handle("/mute", ME)).plain
        assert "Usage: /mute" in (await cmds.handle("/mute word two words", ME)).plain
        assert "Usage: /only" in (await cmds.handle("/only outlet X", ME)).plain
        assert "no such filter" in (await cmds.handle("/unmute word zebra", ME)).plain
