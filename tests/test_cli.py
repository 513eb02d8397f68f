"""The CLI contract (DESIGN.md): `main(argv)` in this process on real SQLite files.

The sample corpus bot/samples (17 files, 4 stories, one duplicate; the shared sample database of
conftest, copied) is checked against tests/fixtures/samples_expected.json; the shared seeds (if present) against known facts. A few
smoke tests at the end run the installed `briefbot` script as a real process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cli_runner import CliResult, run_cli

from bot.store import Store
from summarizer.read.dates import from_iso, zone_label

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = json.loads((ROOT / "tests" / "fixtures" / "samples_expected.json").read_text("utf-8"))
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DAM = ROOT / "tests" / "fixtures" / "ingest" / "dam"


def briefbot() -> list[str]:
    script = Path(sys.executable).with_name("briefbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def run(cwd: Path, db: Path, *args: str) -> CliResult:
    """`briefbot --db DB ARGS` in this process, from ``cwd``."""
    return run_cli(cwd, "--db", str(db), *args)


def run_json(cwd: Path, db: Path, *args: str) -> Any:
    proc = run(cwd, db, *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def words(text: str) -> int:
    return len(text.split())


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) >= 4}


class Corpus:
    """An ingested folder: where it lives and what ingest reported."""

    def __init__(self, cwd: Path, db: Path, rc: int, report: dict[str, Any]) -> None:
        self.cwd, self.db, self.rc, self.report = cwd, db, rc, report
        self._cache: dict[tuple[str, ...], Any] = {}

    def json(self, *args: str) -> Any:
        """`briefbot ... --json` output; read-only commands, so each is run once per corpus."""
        if args not in self._cache:
            self._cache[args] = run_json(self.cwd, self.db, *args)
        return self._cache[args]

    def run(self, *args: str) -> CliResult:
        return run(self.cwd, self.db, *args)

    def entry(self, name: str) -> dict[str, Any]:
        found = [e for e in self.report["ingested"] if Path(e["input"]).name == name]
        assert len(found) == 1, name
        return found[0]


def _ingest(cwd: Path, folder: Path) -> Corpus:
    db = cwd / "briefbot.db"
    proc = run(cwd, db, "ingest", "--json", str(folder))
    return Corpus(cwd, db, proc.returncode, json.loads(proc.stdout))


@pytest.fixture(scope="module")
def samples(
    tmp_path_factory: pytest.TempPathFactory, sample_db: Path, sample_report: dict[str, Any]
) -> Corpus:
    """A copy of the shared sample database and what its ingest reported (`ingest --json`)."""
    cwd = tmp_path_factory.mktemp("samples")
    shutil.copy(sample_db, cwd / "briefbot.db")
    return Corpus(cwd, cwd / "briefbot.db", 1 if sample_report["errors"] else 0, sample_report)


# --- ingest on the sample corpus ---------------------------------------------------------------


def test_samples_ingest_report(samples: Corpus) -> None:
    assert samples.rc == 0
    assert samples.report["errors"] == []
    entries = samples.report["ingested"]
    assert sorted(Path(e["input"]).name for e in entries) == sorted(EXPECTED["files"])
    assert len(entries) == 17
    originals = [e for e in entries if e["duplicate_of"] is None]
    dups = [e for e in entries if e["duplicate_of"] is not None]
    assert len(originals) == 16 and len({e["id"] for e in originals}) == 16
    assert len(dups) == 1
    for name, exp in EXPECTED["files"].items():
        e = samples.entry(name)
        assert e["outlet"] == exp["outlet"], name
        if exp["duplicate_of"] is None:
            assert e["title"] == exp["title"], name
            assert e["duplicate_of"] is None, name
        else:
            assert e["duplicate_of"] == samples.entry(exp["duplicate_of"])["id"], name
    with Store(samples.db) as store:
        assert store.article_count() == 16
        assert store.story_count() == 4


def test_samples_make_exactly_the_expected_stories(samples: Corpus) -> None:
    story_of = {name: samples.entry(name)["story_id"] for name in EXPECTED["files"]}
    groups: dict[str, set[int]] = {}
    for name, exp in EXPECTED["files"].items():
        groups.setdefault(exp["story"], set()).add(story_of[name])
    assert all(len(ids) == 1 for ids in groups.values()), groups
    assert len({next(iter(ids)) for ids in groups.values()}) == 4

    listed = samples.json("stories")["stories"]
    assert len(listed) == 4
    by_id = {s["id"]: s for s in listed}
    for key, exp in EXPECTED["stories"].items():
        s = by_id[next(iter(groups[key]))]
        assert set(s) >= {"id", "title", "article_ids", "outlets"}
        assert sorted(s["outlets"]) == sorted(exp["outlets"]), key
        assert s["title"]
    all_ids = [aid for s in listed for aid in s["article_ids"]]
    assert sorted(all_ids) == sorted(
        e["id"] for e in samples.report["ingested"] if e["duplicate_of"] is None
    )


def test_stories_are_listed_newest_activity_first(samples: Corpus) -> None:
    listed = samples.json("stories")["stories"]
    latest = []
    for s in listed:
        sources = samples.json("sources", str(s["id"]))["sources"]
        latest.append(max(d for src in sources if (d := from_iso(src["published"]))))
    assert latest == sorted(latest, reverse=True)


# --- brief, quotes, sources, article -----------------------------------------------------------


def _story_ids(c: Corpus) -> list[int]:
    return [s["id"] for s in c.json("stories")["stories"]]


def test_brief_sentences_are_verbatim_and_credited(samples: Corpus) -> None:
    with Store(samples.db) as store:
        for sid in _story_ids(samples):
            story = store.story(sid)
            assert story is not None
            arts = {a.id: a for a in store.articles(story.article_ids)}
            brief = samples.json("brief", str(sid))
            assert set(brief) >= {"story_id", "title", "sentences", "framings", "only_one_outlet"}
            assert brief["story_id"] == sid and brief["title"]
            assert brief["sentences"], sid
            for s in [*brief["sentences"], *brief["only_one_outlet"]]:
                assert set(s) >= {"text", "article_ids", "outlets"}
                assert s["article_ids"] and set(s["article_ids"]) <= set(arts), s
                listed = [arts[i] for i in s["article_ids"]]
                # verbatim text of (at least) its source article
                assert any(s["text"] in a.text for a in listed), s["text"]
                # the outlets are exactly those of the listed articles
                assert sorted(s["outlets"]) == sorted({a.outlet for a in listed})
                # every listed article carries the same fact: most content words appear in it
                cw = content_words(s["text"])
                for a in listed:
                    assert len(cw & content_words(a.text)) >= 0.4 * len(cw), (s["text"], a.id)
            for f in brief["framings"]:
                assert set(f) >= {"outlet", "article_id", "title"}
                assert arts[f["article_id"]].outlet == f["outlet"]


def test_brief_words_controls_length(samples: Corpus) -> None:
    sid = str(_story_ids(samples)[0])
    short = samples.json("brief", sid, "--words", "60")
    long = samples.json("brief", sid, "--words", "200")
    n_short = sum(words(s["text"]) for s in short["sentences"])
    n_long = sum(words(s["text"]) for s in long["sentences"])
    assert 0 < n_short < n_long
    assert len(short["sentences"]) < len(long["sentences"])
    assert set(short) >= {"story_id", "title", "sentences"}
    bad = samples.run("brief", sid, "--words", "3")
    assert bad.returncode != 0 and bad.stderr.strip()


def test_quotes_and_sources_json(samples: Corpus) -> None:
    with Store(samples.db) as store:
        for sid in _story_ids(samples):
            story = store.story(sid)
            assert story is not None
            arts = {a.id: a for a in store.articles(story.article_ids)}

            quotes = samples.json("quotes", str(sid))
            assert quotes["story_id"] == sid
            assert quotes["quotes"], sid
            for q in quotes["quotes"]:
                assert set(q) >= {"text", "speaker", "article_ids", "outlets"}
                assert q["text"] and set(q["article_ids"]) <= set(arts)
                assert sorted(q["outlets"]) == sorted({arts[i].outlet for i in q["article_ids"]})

            sources = samples.json("sources", str(sid))
            assert sources["story_id"] == sid
            got = sources["sources"]
            assert [s["article_id"] for s in got] == sorted(story.article_ids)
            for s in got:
                assert set(s) >= {"article_id", "outlet", "title", "url", "published"}
                a = arts[s["article_id"]]
                assert (s["outlet"], s["title"], s["url"]) == (a.outlet, a.title, a.url)
                assert s["published_zone"] == zone_label(from_iso(s["published"])) is not None


def test_article_json(samples: Corpus) -> None:
    e = samples.entry("bridge_meridian-post.html")
    exp = EXPECTED["files"]["bridge_meridian-post.html"]
    a = samples.json("article", str(e["id"]))
    assert set(a) >= {"id", "title", "outlet", "author", "published", "url", "text", "quotes"}
    assert (a["id"], a["title"], a["outlet"], a["author"]) == (
        e["id"],
        exp["title"],
        exp["outlet"],
        exp["author"],
    )
    assert datetime.fromisoformat(a["published"]) == datetime.fromisoformat(exp["published"])
    assert a["url"].startswith("https://www.meridianpost.com/local/2026/03/03/")
    for keep in exp["must_keep"]:
        assert keep in a["text"]
    for drop in exp["must_drop"]:
        assert drop not in a["text"]
    assert all(set(q) >= {"text", "speaker"} for q in a["quotes"])


@pytest.mark.parametrize("cmd", ["brief", "quotes", "sources", "article"])
def test_unknown_ids_fail_on_stderr(samples: Corpus, cmd: str) -> None:
    for json_flag in ((), ("--json",)):
        proc = samples.run(cmd, "9999", *json_flag)
        assert proc.returncode != 0
        assert "9999" in proc.stderr
        assert proc.stdout == ""


def test_human_output_for_each_command(samples: Corpus) -> None:
    sid = _story_ids(samples)[0]
    titles = {s["id"]: s["title"] for s in samples.json("stories")["stories"]}
    for args in (
        ("stories",),
        ("brief", str(sid)),
        ("brief", str(sid), "--words", "60"),
        ("quotes", str(sid)),
        ("sources", str(sid)),
    ):
        proc = samples.run(*args)
        assert proc.returncode == 0, (args, proc.stderr)
        out = proc.stdout.strip()
        assert out and not out.startswith("{"), args
        assert titles[sid] in out, args
    a = samples.run("article", "1")
    assert a.returncode == 0 and a.stdout.strip() and not a.stdout.startswith("{")
    assert samples.json("article", "1")["title"] in a.stdout


def test_human_ingest_output(tmp_path: Path) -> None:
    proc = run(tmp_path, tmp_path / "t.db", "ingest", str(DAM))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[-1] == "5 ingested, 0 errors"
    assert any("duplicate of #1" in ln for ln in lines)
    assert any("Riverside Dispatch" in ln for ln in lines)


def test_digest_preview_as_of_a_given_time(samples: Corpus) -> None:
    """`digest --at` makes the README's example reproducible: the samples are from March 2026."""
    now = samples.json("digest")
    assert now["stories"] == [] and now["text"]  # nothing in the last 24 hours: the empty note
    at = samples.json("digest", "--at", "2026-03-05T20:00:00+00:00")
    assert at["stories"], at
    listed = {s["id"] for s in samples.json("stories")["stories"]}
    assert {s["story_id"] for s in at["stories"]} <= listed
    assert "Thursday, 05 March" in at["text"]
    human = samples.run("digest", "--at", "2026-03-05T20:00")  # no zone: UTC
    assert human.returncode == 0 and human.stdout.startswith(at["text"])  # then the buttons
    bad = samples.run("digest", "--at", "yesterday")
    assert bad.returncode != 0 and "--at" in bad.stderr


# --- smoke tests: the installed script as a real process -----------------------------------------


def run_process(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed `briefbot` script, hermetic (no BRIEFBOT_/TELEGRAM_ settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "TELEGRAM_"))}
    return subprocess.run(
        [*briefbot(), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_db_defaults_to_briefbot_db_in_cwd(tmp_path: Path) -> None:
    proc = run_process(tmp_path, "stories", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"stories": []}
    assert (tmp_path / "briefbot.db").exists()


def test_script_help_and_a_failing_command(tmp_path: Path) -> None:
    help_ = run_process(tmp_path, "--help")
    assert help_.returncode == 0, help_.stderr
    for cmd in ("ingest", "stories", "brief", "quotes", "sources", "article", "run", "digest"):
        assert cmd in help_.stdout
    bad = run_process(tmp_path, "--db", str(tmp_path / "t.db"), "brief", "9999")
    assert bad.returncode != 0 and bad.stdout == ""
    assert "9999" in bad.stderr and "Traceback" not in bad.stderr


def test_in_process_main_matches_the_script(tmp_path: Path) -> None:
    """The in-process runner the contract tests use gives what the real process gives."""
    db = tmp_path / "t.db"
    assert run(tmp_path, db, "ingest", str(DAM)).returncode == 0
    # Light commands only: each real process costs an interpreter start-up.
    for args in (("stories", "--json"), ("stories",), ("stories", "--limit", "x")):
        real = run_process(tmp_path, "--db", str(db), *args)
        here = run(tmp_path, db, *args)
        assert (here.returncode, here.stdout, here.stderr) == (
            real.returncode,
            real.stdout,
            real.stderr,
        ), args


# --- the shared seeds --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    if not SEEDS.is_dir():
        pytest.skip(f"no seed articles at {SEEDS}")
    return _ingest(tmp_path_factory.mktemp("seeds"), SEEDS)


CLUTTER = ("☐", "- 4h -", "donation", "Your support")


def test_seeds_make_one_story_from_four_outlets(seeds: Corpus) -> None:
    assert seeds.rc == 0
    assert seeds.report["errors"] == []
    entries = seeds.report["ingested"]
    assert {e["outlet"] for e in entries} == {"The Hill", "The Independent", "Xinhua", "NBC News"}
    assert sum(e["duplicate_of"] is not None for e in entries) == 1
    assert len({e["story_id"] for e in entries}) == 1
    stories = seeds.json("stories")["stories"]
    assert len(stories) == 1
    assert sorted(stories[0]["outlets"]) == sorted(
        ["The Hill", "The Independent", "Xinhua", "NBC News"]
    )


def test_seeds_brief(seeds: Corpus) -> None:
    sid = str(seeds.report["ingested"][0]["story_id"])
    brief = seeds.json("brief", sid)
    sentences = brief["sentences"]
    assert sentences
    first = sentences[0]
    assert re.search(r"collapse|brink|breakdown", first["text"], re.I), first["text"]
    assert len(set(first["outlets"])) >= 3, first
    for s in [*sentences, *brief["only_one_outlet"]]:
        for marker in CLUTTER:
            assert marker.lower() not in s["text"].lower(), (marker, s["text"])
    quotes = seeds.json("quotes", sid)["quotes"]
    texts = [s["text"] for s in sentences] + [q["text"] for q in quotes]
    assert any("neither confirm nor deny" in t for t in texts)


def test_a_reader_that_goes_away_gets_no_traceback(tmp_path: Path) -> None:
    """`briefbot stories | head` when head has already exited: exit 1, nothing on stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "TELEGRAM_"))}
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: the first write fails with EPIPE
    try:
        proc = subprocess.run(
            [*briefbot(), "--db", str(tmp_path / "t.db"), "stories", "--json"],
            cwd=tmp_path, env=env, stdout=write_end, stderr=subprocess.PIPE, text=True,
            timeout=120, check=False,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
