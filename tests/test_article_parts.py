"""Article parts (issue 17): an article's briefing work is computed once, stored, and a story's
views from stored parts are exactly the views computed from scratch."""

from __future__ import annotations

import json
import random
import zlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from corpus import write_lighthouse

from bot.chat.views import StoryInputs, compute_views, load_inputs, refresh_dirty
from bot.sources.ingest import ingest_paths
from bot.store import Store
from bot.store.parts import StoredParts
from summarizer.brief import parts as P
from summarizer.brief import parts_codec as C
from summarizer.brief.briefing import build_briefing
from summarizer.brief.sentences import extract_all
from summarizer.models import Article
from summarizer.quotes.extract import extract_quotes


def _article(i: int, outlet: str, title: str, paras: list[str], hour: int) -> Article:
    return Article(
        id=i,
        title=title,
        text="\n\n".join(paras),
        outlet=outlet,
        published=datetime(2025, 3, 4, hour, 0),
    )


def ferry_story() -> list[Article]:
    """An invented ferry strike told by three outlets, with quotes, an unnamed "he", a repeated
    pull quote, a caption, the headline repeated in the body and a short wire flash."""
    return [
        _article(
            1,
            "Harbour Gazette",
            "Vell ferry crews strike over rota",
            [
                "Vell ferry crews strike over rota.",
                "Ferry crews on the Vell crossing walked out on Thursday in a dispute over night "
                "rotas, cancelling every sailing until Saturday, the operator said.",
                "Union secretary Maren Okafor said the rota left crews with six hours of rest. "
                "\u201cWe cannot sail safely on six hours of sleep,\u201d she said.",
                "\u201cNobody wants this strike.\u201d",
                "He added that talks with the operator would resume on Monday.",
                "Passengers queue at the terminal. (Photo: Harbour Gazette)",
                "\u201cNobody wants this strike.\u201d",
            ],
            7,
        ),
        _article(
            2,
            "Coast Herald",
            "Strike halts Vell ferries until Saturday",
            [
                "Every Vell ferry sailing was cancelled until Saturday after crews walked out on "
                "Thursday over new night rotas, the operator said.",
                "Maren Okafor, the union's secretary, said crews were left with six hours of rest "
                "between shifts.",
                "The operator's chief executive, Tobias Lind, said the rota met national rules. "
                "\u201cWe followed the regulator's guidance,\u201d Lind said.",
                "Freight hauliers said about 40 lorries a day would be diverted to the southern "
                "port of Castrel.",
            ],
            8,
        ),
        _article(
            3,
            "Island Radio",
            "Ferry walkout: what passengers need to know",
            [
                "Crews on the Vell ferry went on strike on Thursday, and all sailings are "
                "cancelled until Saturday, according to the operator.",
                "The island's only doctor said patients due for hospital visits on the mainland "
                "would be taken by helicopter.",
                "Sign up for our newsletter to get travel updates.",
            ],
            9,
        ),
        Article(
            id=4,
            title="Vell ferries cancelled",
            text="Vell ferries cancelled until Saturday.",
            outlet="Wire Desk",
            published=datetime(2025, 3, 4, 10, 0),
            short=True,
        ),
    ]


def generated_story(n_articles: int, n_sentences: int, seed: int) -> list[Article]:
    """Many outlets recombining invented sentences about one harbour survey."""
    rng = random.Random(seed)
    facts = [
        f"Inspectors counted {k * 3 + 11} cracked panels on the Vell harbour wall during survey "
        f"{k} of the winter season."
        for k in range(60)
    ]
    start = datetime(2025, 3, 4, 6, 0)
    out = []
    for i in range(n_articles):
        sents = rng.sample(facts, n_sentences)
        sents[2] = f"The pull quote line repeated by desk {i} stays out of briefings."
        sents[-1] = sents[2]
        paras = [" ".join(sents[k : k + 2]) for k in range(0, len(sents), 2)]
        out.append(
            Article(
                id=i + 1,
                title=f"Harbour wall survey {i}",
                text="\n\n".join(paras),
                outlet=f"Outlet {i % 40}",
                published=start + timedelta(minutes=13 * i),
            )
        )
    return out


def _stored(articles: list[Article]) -> dict[int, P.ArticleParts]:
    return {a.id: C.loads(C.dumps(P.article_parts(a), a), a) for a in articles}


@pytest.mark.parametrize(
    ("n_articles", "n_sentences"),
    [(3, 12), (80, 36), (300, 12)],  # uncapped; capped from the middle on; capped throughout
)
def test_candidates_from_parts_are_extract_alls(n_articles: int, n_sentences: int) -> None:
    arts = generated_story(n_articles, n_sentences, seed=n_articles)
    from_parts = [c for c, _ in P.candidates(arts, _stored(arts))]
    assert from_parts == extract_all(arts, cap=True)
    assert not any("pull quote" in c.text for c in from_parts)


def test_parts_survive_storage_unchanged() -> None:
    for a in [*ferry_story(), *generated_story(5, 12, seed=1)]:
        parts = P.article_parts(a)
        assert C.loads(C.dumps(parts, a), a) == parts
    first, second = ferry_story()[:2]
    data = C.dumps(P.article_parts(first), first)
    for broken in (b"not parts", data[:-9]):
        with pytest.raises(ValueError):
            C.loads(broken, first)
    with pytest.raises(ValueError):
        C.loads(data, second)  # compressed against its own article's text
    # Rows of another layout (a field fewer, as FORMAT 1 wrote) are refused when read.
    doc = json.loads(zlib.decompressobj(zdict=C._zdict(first)).decompress(data))
    doc["r"] = [r[:-1] if len(r) > 2 else r for r in doc["r"]]
    packer = zlib.compressobj(6, zdict=C._zdict(first))
    older = packer.compress(json.dumps(doc).encode()) + packer.flush()
    with pytest.raises(ValueError):
        C.loads(older, first)


@pytest.mark.parametrize("words", [40, 120, 250])
def test_briefing_from_stored_parts_is_the_briefing_from_scratch(words: int) -> None:
    arts = ferry_story()
    fresh = build_briefing(5, "Ferry strike", arts, words=words)
    quotes = {a.id: extract_quotes(a.text) for a in arts}
    stored = build_briefing(5, "Ferry strike", arts, words, parts=_stored(arts), quotes=quotes)
    assert stored == fresh
    assert fresh.sentences and fresh.framings
    if words == 40:
        assert len(fresh.exclusives) == 3  # the doctor, the lorries, a quote whose "she" is named
    # The unnamed "he" is named from the article's own sentences (and its quotes) or dropped.
    assert not any(s.text.startswith("He ") for s in fresh.sentences)


def test_big_story_briefing_from_stored_parts_is_the_same() -> None:
    arts = generated_story(150, 20, seed=3)  # capped from the 125th article on
    assert build_briefing(1, "Survey", arts, 80, parts=_stored(arts)) == build_briefing(
        1, "Survey", arts, 80
    )


def test_views_from_stored_parts_are_the_views_from_scratch() -> None:
    arts = tuple(ferry_story())
    cold = compute_views(StoryInputs(9, "Ferry strike", 1, arts, {}))
    assert set(cold.new_article_parts) == {a.id for a in arts}
    assert set(cold.new_article_quotes) == {a.id for a in arts}
    warm_inputs = StoryInputs(
        9, "Ferry strike", 1, arts, cold.new_article_quotes, cold.new_article_parts
    )
    warm = compute_views(warm_inputs)
    assert (warm.briefing, warm.quotes) == (cold.briefing, cold.quotes)
    assert warm.new_article_parts == {} and warm.new_article_quotes == {}
    assert cold.quotes and any(q.speaker for q in cold.quotes)
    # Unreadable stored bytes are recomputed, not trusted.
    broken = dict(cold.new_article_parts)
    broken[2] = b"\x00broken"
    mended = compute_views(StoryInputs(9, "Ferry strike", 1, arts, {}, broken))
    assert set(mended.new_article_parts) == {2}
    assert mended.briefing == cold.briefing


def test_format_number_names_the_layout_and_the_fitted_data() -> None:
    assert C.parts_format() >> 32 == C.FORMAT
    assert C.parts_format() & 0xFFFFFFFF  # a fingerprint of facts.json and paraphrase.json


def test_store_keeps_each_articles_parts_once_and_views_reuse_them(tmp_path: Path) -> None:
    with Store(tmp_path / "parts.db") as store:
        report = ingest_paths(store, [str(p) for p in write_lighthouse(tmp_path / "in", 3)])
        assert not report.errors
        (sid,) = store.dirty_stories()
        assert refresh_dirty(store) == 1
        members = store.story(sid).article_ids  # type: ignore[union-attr]
        fmt = C.parts_format()
        table = StoredParts(store.conn)
        stored = table.article_parts(members, fmt)
        assert set(stored) == set(members)
        assert table.article_parts(members, fmt + 1) == {}  # another format is not read
        inputs = load_inputs(store, sid)
        assert inputs is not None and inputs.known_parts == stored
        warm = compute_views(inputs)
        assert warm.new_article_parts == {}
        scratch = compute_views(StoryInputs(sid, inputs.title, 0, inputs.articles, {}))
        assert (warm.briefing, warm.quotes) == (scratch.briefing, scratch.quotes)
        assert warm.briefing == store.cached_briefing(sid)
        # Parts of an article that is gone are not saved (and nothing fails).
        with store.atomic():
            table.save_article_parts({10_000: b"x"}, fmt)
        assert table.article_parts([10_000], fmt) == {}
