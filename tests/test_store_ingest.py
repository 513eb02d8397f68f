"""Ingest against a real store: truncated copies are duplicates, a shared lead alone is not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.sources.ingest import save_article
from bot.store import Store
from summarizer.models import CleanDoc
from summarizer.stories import cluster
from summarizer.stories.duplicates import fingerprint, index_keys

# An invented report, eight paragraphs of distinct sentences.
PARAGRAPHS = [
    "Engineers at the Marrowfield waterworks shut the eastern intake on Thursday after divers "
    "found a crack running along the base of the century-old stone culvert.",
    "The utility said drinking water was safe and that the western intake, rebuilt in 2011, "
    "could carry the town's demand for several weeks while repairs were planned.",
    "Residents of the lower terraces reported cloudy water for about six hours on Wednesday "
    "night, which the utility blamed on sediment stirred up when the flow was rerouted.",
    "Councillor Petra Vandermolen, who chairs the infrastructure committee, called the crack a "
    "warning that the town had postponed maintenance of its oldest assets for too long.",
    "A structural survey commissioned four years ago had rated the culvert as fair, but the "
    "report recommended a fresh inspection within three years that never took place.",
    "The repair is expected to cost between two and three million crowns, and the council will "
    "debate on Monday whether to draw on reserves or to seek a loan from the regional fund.",
    "Fishermen on the Marrow estuary asked the utility to monitor silt released during the "
    "works, saying that spawning grounds downstream were already under pressure this season.",
    "The utility promised daily water-quality bulletins on its website until the eastern "
    "intake reopens, which engineers hope will happen before the autumn rains begin.",
]
FULL = "\n\n".join(PARAGRAPHS)
HALF = "\n\n".join(PARAGRAPHS[:4])  # a real truncated copy: the first half of the article
OTHER_BODY = [
    "The regional transport office confirmed that the ring road bridge will close at night "
    "from next week, so that contractors can replace expansion joints worn by heavy lorries.",
    "Bus operators said the overnight diversion adds twenty minutes to the airport route, and "
    "asked for temporary lanes on the old harbour road to keep services on time.",
    "Traders at the covered market complained that deliveries would have to start before "
    "dawn, and the chamber of commerce asked for compensation for the extra staff hours.",
    "The transport office said the work should end before the winter festival, when traffic "
    "into the old town usually doubles for three weekends in a row.",
]


def _doc(text: str, outlet: str, url: str) -> CleanDoc:
    return CleanDoc(
        title="Crack found in Marrowfield culvert",
        text=text,
        outlet=outlet,
        published=datetime(2026, 5, 14, 9, tzinfo=UTC),
        url=url,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "ingest.db")
    yield s
    s.close()


def test_fixture_half_is_missed_by_whole_text_bands_alone() -> None:
    """Why lead bands exist: this half shares no whole-text band with the full article."""
    whole = set(cluster.lsh_bands(cluster.minhash(cluster.shingles(FULL))))
    half = set(cluster.lsh_bands(cluster.minhash(cluster.shingles(HALF))))
    assert not whole & half
    assert set(index_keys(FULL)) & set(index_keys(HALF))


@pytest.mark.parametrize("fingerprint_kept", [True, False])
def test_half_length_copy_is_a_duplicate(store: Store, fingerprint_kept: bool) -> None:
    """Confirmed from the original's stored fingerprint, or from its text when it was stored
    before fingerprints were kept (migration 0015)."""
    original = save_article(store, _doc(FULL, "Marrow Courier", "https://courier.test/a/1"), "a")
    kept = store.db.execute("SELECT shingles FROM article_shingles").fetchall()
    assert [bytes(r[0]) for r in kept] == [fingerprint(cluster.shingles(FULL))]
    if not fingerprint_kept:
        store.db.execute("DELETE FROM article_shingles")
    copy = save_article(store, _doc(HALF, "Valley Digest", "https://digest.test/b/2"), "b")
    assert original.duplicate_of is None
    assert copy.duplicate_of == original.id and copy.story_id == original.story_id
    assert store.article_count() == 1
    # A duplicate is not a candidate for later copies: no fingerprint of its own.
    assert store.db.execute("SELECT count(*) FROM article_shingles").fetchone()[0] == int(
        fingerprint_kept
    )


def test_shared_lead_with_another_body_is_not_a_duplicate(store: Store) -> None:
    """Wire leads get reused: only when the shorter text is (nearly) inside the other is it a copy."""
    other = "\n\n".join([PARAGRAPHS[0], *OTHER_BODY])
    first = save_article(store, _doc(FULL, "Marrow Courier", "https://courier.test/a/1"), "a")
    second = save_article(store, _doc(other, "Valley Digest", "https://digest.test/c/3"), "c")
    assert second.duplicate_of is None and second.id != first.id
    assert store.article_count() == 2
