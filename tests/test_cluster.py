"""Pure clustering: similarity of articles to stories, time decay, near-duplicate detection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from summarizer.models import ArticleRef, DuplicateContext, NearCandidate
from summarizer.stories import cluster, duplicates

BRIDGE_A = (
    "Council approves Dunmore harbour bridge",
    "The Dunmore city council voted 7-2 on Tuesday to approve the new harbour bridge, a 410-metre "
    "span linking the old port with the Kestrel Point district.\n\nMayor Ilse Varga said the "
    "bridge would cut commuting times across the harbour by half. Construction starts in May.",
)
BRIDGE_B = (
    "Dunmore votes yes on harbour crossing after heated debate",
    "After a four-hour debate, Dunmore councillors backed the harbour bridge by seven votes to two, "
    "clearing the way for the span between the port and Kestrel Point.\n\nVarga, the mayor, "
    "called the vote historic. Opponents warned about the cost of the bridge.",
)
STORM = (
    "Storm Orla cuts power to 40,000 homes on the west coast",
    "Storm Orla brought winds of 140 km/h to the west coast overnight, leaving 40,000 homes "
    "without electricity and closing the coastal railway.\n\nThe grid operator said crews would "
    "need two days to restore power to the worst-hit villages.",
)


def vec(title: str, text: str, n_docs: int = 10) -> dict[str, float]:
    return cluster.weighted_vector(cluster.term_counts(title, text), {}, n_docs)


def cand(story_id: int, title: str, text: str, when: datetime | None) -> cluster.StoryCandidate:
    return cluster.StoryCandidate(
        story_id=story_id,
        centroid=vec(title, text),
        entities=cluster.entities(title, text),
        first_published=when,
        last_published=when,
    )


NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)


def test_same_event_in_other_words_joins_the_story() -> None:
    stories = [cand(1, *BRIDGE_A, NOW), cand(2, *STORM, NOW)]
    chosen, score = cluster.choose_story(vec(*BRIDGE_B), cluster.entities(*BRIDGE_B), NOW, stories)
    assert chosen == 1 and score >= cluster.SAME_STORY_THRESHOLD


def test_different_event_opens_a_new_story() -> None:
    chosen, score = cluster.choose_story(
        vec(*STORM), cluster.entities(*STORM), NOW, [cand(1, *BRIDGE_A, NOW)]
    )
    assert chosen is None and score < cluster.SAME_STORY_THRESHOLD


def test_days_apart_lowers_the_score() -> None:
    near = cluster.story_score(
        vec(*BRIDGE_B), cluster.entities(*BRIDGE_B), NOW, cand(1, *BRIDGE_A, NOW)
    )
    far = cluster.story_score(
        vec(*BRIDGE_B),
        cluster.entities(*BRIDGE_B),
        NOW + timedelta(days=12),
        cand(1, *BRIDGE_A, NOW),
    )
    assert far < near * 0.1


def test_entities_skip_lone_sentence_starts() -> None:
    ents = cluster.entities(*BRIDGE_A)
    assert "ilse varga" in ents or "mayor ilse varga" in ents
    assert "kestrel point" in ents
    assert "the" not in ents and "construction" not in ents


def test_vectors_are_normalised_and_deterministic() -> None:
    v1, v2 = vec(*STORM), vec(*STORM)
    assert v1 == v2
    assert abs(sum(x * x for x in v1.values()) - 1.0) < 1e-9
    best = sorted(v1, key=lambda t: (-v1[t], t))
    assert cluster.query_terms(v1, 3) == best[:3]


def test_near_duplicate_survives_small_edits_and_lsh_finds_it() -> None:
    text = " ".join(BRIDGE_A[1].split() * 3)
    edited = text.replace("Tuesday", "Tuesday evening").replace("half", "about half")
    a, b = cluster.shingles(text), cluster.shingles(edited)
    assert cluster.is_near_duplicate(a, b)
    assert set(cluster.lsh_bands(cluster.minhash(a))) & set(cluster.lsh_bands(cluster.minhash(b)))
    assert not cluster.is_near_duplicate(a, cluster.shingles(STORM[1]))
    storm, bridge = ArticleRef(5, "Storm", "A", 1), ArticleRef(3, "Bridge", "B", 2)
    # The lowest-id near-duplicate, confirmed from a stored fingerprint or, lacking one, the text.
    for similar in (
        (NearCandidate(storm, text=STORM[1]), NearCandidate(bridge, text=text)),
        (
            NearCandidate(storm, duplicates.fingerprint(cluster.shingles(STORM[1]))),
            NearCandidate(bridge, duplicates.fingerprint(a)),
        ),
    ):
        assert duplicates.find_duplicate(b, DuplicateContext(similar=similar)) == bridge
    assert duplicates.fingerprint_shingles(duplicates.fingerprint(a)) == a
    assert duplicates.fingerprint_shingles(duplicates.fingerprint(a) + b"\x01") == a  # damaged
    other = DuplicateContext(similar=(NearCandidate(bridge, duplicates.fingerprint(a)),))
    assert duplicates.find_duplicate(cluster.shingles(STORM[1]), other) is None


def test_truncated_copy_counts_as_duplicate() -> None:
    full = " ".join((BRIDGE_A[1] + " " + BRIDGE_B[1]).split() * 2)
    half = " ".join(full.split()[: len(full.split()) // 2])
    assert cluster.is_near_duplicate(cluster.shingles(full), cluster.shingles(half))


def test_representative_is_closest_to_centroid() -> None:
    vectors = {1: vec(*BRIDGE_A), 2: vec(*BRIDGE_B), 3: vec(*STORM)}
    centroid = cluster.merge_centroid(cluster.merge_centroid({}, vectors[1]), vectors[2])
    assert cluster.representative(vectors, centroid) in (1, 2)


def test_a_long_running_story_stops_absorbing_new_days() -> None:
    start = NOW - timedelta(days=10)
    long_story = cluster.StoryCandidate(1, vec(*BRIDGE_A), cluster.entities(*BRIDGE_A), NOW, start)
    fresh_story = cluster.StoryCandidate(2, vec(*BRIDGE_A), cluster.entities(*BRIDGE_A), NOW, NOW)
    assert cluster.time_factor(NOW, fresh_story) == 1.0
    assert cluster.time_factor(NOW, long_story) < 0.3
    # an article days after the latest one is unlikely to be the same event
    assert cluster.time_factor(NOW + timedelta(days=4), fresh_story) < 0.25


def test_word_shingles_hash_each_run_of_words() -> None:
    import zlib

    toks = "the ferry to île brava left at dawn on the fifth".split()
    expected = {zlib.crc32(" ".join(toks[i : i + 5]).encode()) for i in range(len(toks) - 4)}
    assert cluster.word_shingles(toks) == expected
    assert cluster.word_shingles(toks[:3]) == {zlib.crc32(b"the ferry to")}
    assert cluster.word_shingles([]) == set()
    assert cluster.shingles("The ferry to Île Brava left at dawn on the fifth.") == expected


def test_a_shorter_signature_gives_the_first_band_keys() -> None:
    sh = cluster.shingles("Ferry services to the island resumed on Friday after the storm passed.")
    full = cluster.minhash(sh)
    assert list(cluster.minhash(sh, 4 * cluster.ROWS)) == list(full[: 4 * cluster.ROWS])
    assert cluster.lsh_bands(cluster.minhash(sh, 4 * cluster.ROWS)) == cluster.lsh_bands(full)[:4]
    assert len(cluster.lsh_bands(full)) == cluster.BANDS
    assert cluster.lsh_bands(cluster.minhash(set(), 8)) == cluster.lsh_bands(cluster.minhash(set()))[:2]
