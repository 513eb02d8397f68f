"""`briefbot summarize INPUT...` and the admins' /summarize ID ...: one briefing over exactly the
given inputs as one story, nothing stored, the `brief --json` shape."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.chat.commands import Caller, Commands
from bot.config import Settings
from bot.sources.ingest import save_article
from bot.store import Store
from summarizer.models import CleanDoc

PORT_STORY = {
    "harbor.md": (
        "Harbor Herald",
        "Port of Selvik shut by dock strike",
        [
            "The port of Selvik was shut on Monday after 2,000 dock workers walked out over pay, "
            "the port authority said.",
            "Harbour Minister Ilse Varnholt said the government would not raise its offer of a 4% "
            "pay rise, calling it final.",
            "Ferries to the islands were cancelled for the day.",
        ],
    ),
    "ledger.md": (
        "Metro Ledger",
        "Dock strike halts Selvik port",
        [
            "About 2,000 dock workers at the port of Selvik walked out on Monday in a dispute over "
            "pay, the port authority said, halting cargo traffic.",
            "Varnholt told reporters the 4% offer was final and would not be raised.",
            "Shipping lines diverted three container vessels to the port of Ostby.",
        ],
    ),
}


def _write(folder: Path) -> list[Path]:
    paths = []
    for name, (outlet, title, paras) in PORT_STORY.items():
        body = "\n\n".join(paras)
        path = folder / name
        path.write_text(
            f"---\ntitle: {title}\noutlet: {outlet}\ndate: 2025-05-06\n---\n\n{body}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_summarize_cli_briefs_exactly_the_inputs_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path)
    db = tmp_path / "never.db"
    missing = tmp_path / "missing.txt"
    code = main(["--db", str(db), "summarize", "--json", "--words", "60", str(tmp_path),
                 str(missing)])
    out, err = capsys.readouterr()
    assert code == 1  # one input failed, the briefing is still made
    assert "missing.txt: no such file or folder" in err
    data = json.loads(out)
    assert set(data) >= {"story_id", "title", "sentences", "framings", "only_one_outlet"}
    assert data["sentences"], data
    lead = data["sentences"][0]
    assert "2,000" in lead["text"]
    assert lead["outlets"] == ["Harbor Herald", "Metro Ledger"]
    assert sorted(lead["article_ids"]) == [1, 2]
    assert all("wording" in s for s in data["sentences"])
    assert not db.exists()


def test_summarize_cli_rejects_bad_budget_and_no_readable_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summarize", "--words", "3", str(tmp_path)]) == 2
    assert main(["summarize", str(tmp_path / "nothing-here")]) == 2
    err = capsys.readouterr().err
    assert "--words must be between 10 and 2000" in err
    assert "no readable article" in err


def test_admin_summarize_article_ids(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    ids = []
    for outlet, title, paras in PORT_STORY.values():
        ingested = save_article(store, CleanDoc(title, "\n\n".join(paras), outlet), f"{outlet}.md")
        ids.append(ingested.id)
    cmds = Commands(store, Settings())
    admin = Caller(chat_id=1, user_id=1, is_admin=True)
    reply = asyncio.run(cmds.handle(f"/summarize {ids[0]} {ids[1]}", admin))
    assert isinstance(reply.data, dict)
    sentences = reply.data["sentences"]
    assert isinstance(sentences, list) and sentences
    assert sentences[0]["outlets"] == ["Harbor Herald", "Metro Ledger"]
    user = Caller(chat_id=2, user_id=2, is_admin=False)
    denied = asyncio.run(cmds.handle(f"/summarize {ids[0]}", user))
    assert "only the bot's admins" in str(denied.paragraphs)
    bad = asyncio.run(cmds.handle("/summarize 1 x", admin))
    assert "/summarize" in str(bad.paragraphs)
    gone = asyncio.run(cmds.handle("/summarize 999", admin))
    assert "No article #999" in str(gone.paragraphs)
