"""Saving one prepared article: read what it needs, decide (pure), apply in one atomic write.

The decisions are ``summarizer.stories.duplicates`` (is it a copy?) and
``summarizer.stories.plan`` (which story, what that story becomes, which headline names it);
this module only reads their inputs from the store and hands the outcome back to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.sources.prepared import Prepared, prepare
from bot.store import Store
from bot.store.db import parse_dt
from bot.store.stories import StoryWrite
from summarizer.models import Article, CleanDoc
from summarizer.stories import assign, duplicates, plan, records
from summarizer.stories.params import load_params


@dataclass(frozen=True)
class Ingested:
    """One input that became (or matched) a stored article."""

    id: int
    input: str
    title: str
    outlet: str
    story_id: int | None
    duplicate_of: int | None

    def as_dict(self) -> dict[str, object]:
        """The CLI's JSON shape."""
        return {
            "id": self.id,
            "input": self.input,
            "title": self.title,
            "outlet": self.outlet,
            "story_id": self.story_id,
            "duplicate_of": self.duplicate_of,
        }


def save_article(store: Store, item: CleanDoc | Prepared, input_name: str) -> Ingested:
    """Store one clean article in one transaction: duplicate check, story assignment, indexes."""
    prep = item if isinstance(item, Prepared) else prepare(item)
    doc = prep.doc
    params = load_params()
    with store.atomic():
        context = store.duplicate_context(prep.url_key, prep.content_hash, prep.bands)
        original = duplicates.find_duplicate(
            duplicates.fingerprint_shingles(prep.fingerprint), context
        )
        if original is not None:
            return Ingested(
                id=original.id,
                input=input_name,
                title=original.title,
                outlet=original.outlet,
                story_id=original.story_id,
                duplicate_of=original.id,
            )
        sig = prep.signals
        dfs, n_docs = store.term_dfs(sig.counts)
        weighing = plan.weigh(sig, dfs, n_docs, params)
        candidates = store.story_candidates(  # only stories this article could still join
            list(weighing.query),
            around=doc.published,
            reach=assign.reach_hours(params),
            min_shared=assign.min_shared_terms(len(weighing.query), params),
        )
        joining = plan.join(
            weighing, doc.published, store.stored_utc(doc.published), doc.outlet, candidates, params
        )
        article_id = n_docs + 1  # ids are never reused and we hold the write lock
        w = weighing.weighted
        title_article, title = plan.headline(
            _headline_members(store, joining), article_id, doc.title, w.vec, joining.state.centroid
        )
        story_id, version = store.add_article(
            article=Article.from_doc(
                article_id, doc, content_hash=prep.content_hash, short=sig.short
            ),
            article_id=article_id,
            url_key=prep.url_key,
            input_name=input_name,
            terms=w.vec,
            evidence=records.article_record(w),
            entities=sig.names,
            bands=prep.bands,
            fingerprint=prep.fingerprint,
            term_set=sig.counts.keys(),
            story=StoryWrite(
                story_id=joining.story_id,
                title=title,
                title_article=title_article,
                centroid=joining.state.centroid,
                entities=joining.entities,
                first=joining.first,
                last=joining.last,
                article_count=joining.state.size,
                outlets=joining.outlets,
                state=records.state_record(joining.state),
            ),
            index_terms=joining.index_terms,
        )
    # The story as it now stands is what the next article's lookup reads (kept once committed).
    first, last = parse_dt(joining.first), parse_dt(joining.last)
    after = plan.StoryBefore(
        state=plan.settled(joining, story_id, first, last),
        title_article=title_article,
        outlets=joining.outlets,
        entities=joining.entities,
        first=joining.first,
        last=joining.last,
    )
    store.story_cache.put(after, version)
    return Ingested(article_id, input_name, doc.title, doc.outlet, story_id, None)


def _headline_members(
    store: Store, joining: plan.Joining
) -> Mapping[int, tuple[str, Mapping[str, float]]]:
    """The stored members whose headlines compete to name the story (see ``plan.headline``)."""
    before = joining.before
    if before is None:
        return {}
    if plan.needs_all_members(joining):
        return store.story_member_vectors(before.state.story_id)
    if before.title_article is None:
        return {}
    return store.story_member_vectors(before.state.story_id, only=(before.title_article,))
