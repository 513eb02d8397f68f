"""A story beyond an article's reach is never chosen, so the store looks only within reach (issue 17).

``assign.reach_hours`` derives, from the params and the time factor's constants, how far from a
story's coverage window an article can be and still join it; the property test invents states
and checks ``decide`` never picks a story further away. The store keeps each story's window in
hours on its ``story_terms`` rows (migration 0014) and keeps it current through every writer:
ingest, merge, split.
"""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from bot.sources.mending import merge_stories, split_article
from bot.sources.saving import save_article
from bot.store import Store
from bot.store.index import OPEN_WINDOW, window_hours
from bot.store.schema import MIGRATIONS
from summarizer.models import CleanDoc
from summarizer.stories import assign, cluster
from summarizer.stories.params import Params, load_params
from summarizer.stories.signals import extract

T0 = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
WORDS = (
    "harbour crane toppled quay dockers union inspector cargo vessel salvage barge tide "
    "pilot lighthouse ferry warehouse customs berth gantry winch hull rudder anchor"
).split()


def _weighted(rng: random.Random, short: bool) -> assign.Weighted:
    """An invented article, weighted with invented document frequencies."""
    picked = rng.sample(WORDS, 4 if short else 14)
    title = " ".join(w.capitalize() for w in picked[:4])
    text = "" if short else ". ".join(" ".join(rng.sample(picked, 6)) for _ in range(8)) + "."
    sig = replace(extract(title, text, None), short=short)
    dfs = {t: rng.randrange(1, 50) for t in sig.counts}
    return assign.weigh(sig, dfs, 500)


def _story(sid: int, w: assign.Weighted, first: datetime, last: datetime) -> assign.StoryState:
    """A story that says what the article says (a text score near 1), over [first, last]."""
    return assign.StoryState(
        sid, dict(w.vec), heads=(w.head, w.head), first_published=first, last_published=last, size=3
    )


def test_reach_follows_the_params_and_is_tight() -> None:
    p = load_params()
    reach = assign.reach_hours(p)
    floor = min(p.threshold, p.short_threshold)
    story = cluster.StoryCandidate(1, {}, frozenset(), T0, T0)
    just_inside = T0 - timedelta(hours=reach - 0.5)  # before the story: its age plays no part
    just_outside = T0 - timedelta(hours=reach + 0.01)
    assert cluster.time_factor(just_inside, story) > floor  # not wider than it must be
    assert cluster.time_factor(just_outside, story) < floor
    looser = replace(p, short_threshold=floor / 2)
    assert assign.reach_hours(looser) > reach  # a lower threshold reaches further
    assert assign.reach_hours(replace(p, threshold=0.0)) == math.inf


@pytest.mark.parametrize("seed", range(6))
def test_decide_never_picks_a_story_beyond_reach(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        p = replace(
            load_params(), threshold=rng.uniform(0.02, 0.9), short_threshold=rng.uniform(0.02, 0.9)
        )
        reach = assign.reach_hours(p)
        w = _weighted(rng, short=rng.random() < 0.4)
        stories = []
        for sid in range(1, 6):
            gap = timedelta(hours=rng.uniform(reach + 0.01, reach + 400))
            span = timedelta(hours=rng.uniform(0, 72))
            if rng.random() < 0.5:  # the story ended long before the article
                stories.append(_story(sid, w, T0 - gap - span, T0 - gap))
            else:  # the story began long after it (an old article read late)
                stories.append(_story(sid, w, T0 + gap, T0 + gap + span))
        assert not any(assign.within_reach(T0, s, reach) for s in stories)
        assert assign.decide(w, T0, stories, p).story_id is None
        near = _story(9, w, T0 - timedelta(hours=3), T0 + timedelta(hours=2))
        assert assign.within_reach(T0, near, reach)
        assert assign.decide(w, T0, [*stories, near], p).story_id == 9  # the test can fail


def test_within_reach_is_true_when_a_time_is_unknown() -> None:
    rng = random.Random(7)
    w = _weighted(rng, short=False)
    old = _story(1, w, T0 - timedelta(days=90), T0 - timedelta(days=89))
    assert not assign.within_reach(T0, old, 100.0)
    assert assign.within_reach(None, old, 100.0)
    assert assign.within_reach(T0, replace(old, first_published=None, last_published=None), 100.0)


# --- the store ---------------------------------------------------------------------------------

_CLAIMS = [
    "the gantry crane bent two mooring bollards as it fell",
    "salvage barges from Trennick will lift the wreck off the quay",
    "no cargo vessel will be unloaded at the berth before an inspection",
    "the crane's slewing bearing had been flagged as worn in an audit",
    "three container ships are waiting at anchor outside the breakwater",
    "the dockers union wants an independent inspector on the quay",
    "insurers sent a loss adjuster to photograph the twisted jib",
    "the harbour master closed the container berth to all traffic",
    "a crane driver climbed down minutes before the structure buckled",
    "shipping lines are diverting boxes to the terminal further north",
    "the winch motor was replaced by a contractor only months ago",
    "cranes of the same model elsewhere will be checked by engineers",
]
_WHO = ["The harbour master", "Union officials", "A port engineer", "Shipping agents", "The mayor"]
_HOW = ["said", "told reporters", "warned", "confirmed", "wrote in a statement"]


def _doc(n: int, when: datetime | None, town: str = "Marrowby") -> CleanDoc:
    """An invented report of a crane collapse in ``town``, worded differently for each ``n``."""
    rng = random.Random(n)
    lines = [
        f"The gantry crane at the {town} container berth toppled onto the quay, and the port of "
        f"{town} stopped all loading while engineers examined the wreck."
    ]
    lines += [f"{rng.choice(_WHO)} {rng.choice(_HOW)} that {c}." for c in rng.sample(_CLAIMS, 6)]
    return CleanDoc(
        title=f"{town} harbour crane collapse blocks container berth",
        text="\n\n".join(lines),
        outlet=f"Outlet {n % 5}",
        published=when,
        url=f"https://port{n % 5}.example/{town.lower()}/crane/{n}",
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "reach.db")
    yield s
    s.close()


def _windows_agree(store: Store) -> None:
    """Every story_terms row carries its story's stored window in hours."""
    rows = store.db.execute(
        "SELECT t.story_id, t.first_hour, t.last_hour, s.first_published, s.last_published "
        "FROM story_terms t JOIN stories s ON s.id = t.story_id"
    ).fetchall()
    assert rows
    for sid, first_hour, last_hour, first, last in rows:
        assert (first_hour, last_hour) == window_hours(first, last), sid


def test_old_stories_do_not_crowd_out_a_live_one(store: Store) -> None:
    # A crane falls at Marrowby every week for ten weeks (ten stories), then one at Quenby now.
    old = [
        save_article(store, _doc(week, T0 - timedelta(weeks=10 - week)), f"w{week}").story_id
        for week in range(10)
    ]
    assert len(set(old)) == 10  # weeks apart: never one story
    live = save_article(store, _doc(50, T0 - timedelta(hours=5), "Quenby"), "live").story_id
    probe = _doc(51, T0)  # words like the old ones (Marrowby), so they share more index terms
    query = list(extract(probe.title, probe.text, T0).counts)
    reach = assign.reach_hours(load_params())
    everyone = store.story_candidates(query, limit=3)
    assert live not in [c.state.story_id for c in everyone]  # the old lookup: crowded out
    near = store.story_candidates(query, limit=3, around=T0, reach=reach)
    assert [c.state.story_id for c in near] == [live]
    assert save_article(store, _doc(52, T0, "Quenby"), "next").story_id == live
    _windows_agree(store)


def test_an_old_article_read_late_finds_its_old_story(store: Store) -> None:
    old = save_article(store, _doc(1, T0 - timedelta(days=40)), "old1").story_id
    for n in range(2, 6):  # the same port's crane makes news again weeks later
        save_article(store, _doc(n, T0 + timedelta(hours=n)), f"new{n}")
    late = save_article(store, _doc(9, T0 - timedelta(days=40, hours=-6)), "late")
    assert late.story_id == old
    _windows_agree(store)


def test_windows_follow_joins_merges_and_splits(store: Store) -> None:
    first = save_article(store, _doc(1, T0), "a").story_id
    assert first is not None
    save_article(store, _doc(2, T0 + timedelta(hours=20)), "b")  # the window grows
    other = save_article(store, _doc(3, T0 + timedelta(days=30)), "c").story_id
    assert other is not None and other != first
    _windows_agree(store)
    merge_stories(store, first, other)
    _windows_agree(store)
    gone = store.db.execute("SELECT count(*) FROM story_terms WHERE story_id = ?", [other])
    assert gone.fetchone()[0] == 0
    moved = store.story(first)
    assert moved is not None
    split_article(store, first, moved.article_ids[-1])
    _windows_agree(store)


def test_a_story_without_times_is_in_every_lookup(store: Store) -> None:
    bees = CleanDoc(
        title="Beekeepers in the Ollin valley count their winter losses",
        text="Beekeepers across the Ollin valley opened their hives and counted the colonies lost "
        "over the winter. The valley association said damp weather and mites hit the apiaries "
        "hardest, and it asked growers to plant more early-flowering hedges for the bees.",
        outlet="Valley Wire",
        published=None,
        url="https://valley.example/bees",
    )
    sid = save_article(store, bees, "bees").story_id
    rows = store.db.execute(
        "SELECT DISTINCT first_hour, last_hour FROM story_terms WHERE story_id = ?", [sid]
    ).fetchall()
    assert [tuple(r) for r in rows] == [OPEN_WINDOW]
    query = list(extract(bees.title, bees.text, None).counts)
    for when in (T0 - timedelta(days=3000), T0, T0 + timedelta(days=3000)):
        found = store.story_candidates(query, around=when, reach=assign.reach_hours(load_params()))
        assert [c.state.story_id for c in found] == [sid]


def test_migration_backfills_existing_story_terms(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    before = [m for m in MIGRATIONS._migrations if m.name != "0014_story_terms_window"]
    for migration in before:
        migration.fn(db)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for m in before:
        db.execute("INSERT INTO _migrations VALUES (?, '2026-01-01T00:00:00+00:00')", [m.name])
    db.execute(
        "INSERT INTO stories (id, updated_at, first_published, last_published, article_count) "
        "VALUES (1, '2026-05-01T00:00:00+00:00', '2026-05-01T10:15:00+00:00', "
        "'2026-05-02T08:00:00+00:00', 2), (2, '2026-05-01T00:00:00+00:00', NULL, NULL, 1)"
    )
    db.execute(
        "INSERT INTO story_terms (term, story_id) VALUES ('crane', 1), ('quay', 1), ('crane', 2)"
    )
    db.conn.close()
    with Store(path) as s:
        rows = s.db.execute("SELECT story_id, first_hour, last_hour FROM story_terms").fetchall()
        # Kept as whole UTC days (BUCKET_HOURS): the window's rows change once a day at most.
        start = math.floor(datetime(2026, 5, 1, tzinfo=UTC).timestamp() / 3600)
        end = math.floor(datetime(2026, 5, 2, 23, tzinfo=UTC).timestamp() / 3600)
        assert sorted(rows) == sorted([(1, start, end), (1, start, end), (2, *OPEN_WINDOW)])
        found = s.story_candidates(["crane"], around=datetime(2026, 5, 9, tzinfo=UTC), reach=100.0)
        assert [c.state.story_id for c in found] == [2]  # undated: always in reach; 1 is too old
        found = s.story_candidates(["crane"], around=datetime(2026, 5, 5, tzinfo=UTC), reach=100.0)
        assert sorted(c.state.story_id for c in found) == [1, 2]
        last = datetime(2026, 5, 2, 8, tzinfo=UTC)  # in the kept day, not in reach: dropped
        found = s.story_candidates(["crane"], around=last + timedelta(hours=101), reach=100.0)
        assert [c.state.story_id for c in found] == [2]
        found = s.story_candidates(["crane"], around=last + timedelta(hours=99), reach=100.0)
        assert sorted(c.state.story_id for c in found) == [1, 2]


def test_reach_params_are_plain_numbers() -> None:
    p = Params(threshold=0.5, short_threshold=0.25)
    assert assign.reach_hours(p) == pytest.approx(
        24 + cluster.TIME_SCALE_HOURS * math.log(4), abs=1e-6
    )


def test_min_shared_terms_is_a_share_of_the_lookup_terms() -> None:
    p = replace(load_params(), min_shared=0.15)
    assert assign.min_shared_terms(20, p) == 3  # not 4: 0.15 * 20 rounds up in floating point
    assert assign.min_shared_terms(7, p) == 2
    assert assign.min_shared_terms(1, p) == 1
    assert assign.min_shared_terms(20, replace(p, min_shared=0.0)) == 1


def test_a_story_sharing_too_few_terms_is_no_candidate(store: Store) -> None:
    sid = save_article(store, _doc(1, T0), "a").story_id
    indexed = [
        str(r[0])
        for r in store.db.execute("SELECT term FROM story_terms WHERE story_id = ?", [sid])
    ]
    query = [*indexed[:3], *(f"zzother{i}" for i in range(17))]  # 3 of 20 terms shared
    reach = assign.reach_hours(load_params())
    found = store.story_candidates(query, around=T0, reach=reach, min_shared=3)
    assert [c.state.story_id for c in found] == [sid]
    assert store.story_candidates(query, around=T0, reach=reach, min_shared=4) == []
