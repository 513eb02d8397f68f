"""Online story assignment in memory: the same steps as the ingest path, without a database.

Used by ``bench/eval_stories.py`` and the tests to run thousands of assignments quickly, and the
reference the store-backed ingest path follows: document frequencies are counted as articles
arrive, candidate stories come from an inverted index of each story's index terms (at most
``CANDIDATES`` among the stories still in reach of the article's time and sharing enough of its
terms, most shared terms first, newest on ties), and the same pure steps as ingest
(``plan.weigh``, ``plan.join``) pick one and update it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from summarizer.stories import assign, plan
from summarizer.stories.params import Params, load_params
from summarizer.stories.signals import Signals, extract

CANDIDATES = 8


@dataclass
class OnlineIndex:
    """Stories built one article at a time."""

    params: Params = field(default_factory=load_params)
    dfs: Counter[str] = field(default_factory=Counter)
    n_docs: int = 0
    stories: dict[int, assign.StoryState] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    postings: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    story_terms: dict[int, list[str]] = field(default_factory=dict)
    decisions: list[assign.Decision] = field(default_factory=list)

    def candidates(
        self, terms: Sequence[str], published: datetime | None = None
    ) -> list[assign.StoryState]:
        """Stories sharing most index terms with ``terms`` (at least ``assign.min_shared_terms``)
        among those an article published then could join (``assign.within_reach``), like the
        store's lookup."""
        reach = assign.reach_hours(self.params)
        need = assign.min_shared_terms(len(terms), self.params)
        hits: Counter[int] = Counter()
        for t in terms:
            for sid in self.postings.get(t, ()):
                hits[sid] += 1
        near = [
            (s, n)
            for s, n in hits.items()
            if n >= need and assign.within_reach(published, self.stories[s], reach)
        ]
        best = sorted(near, key=lambda kv: (-kv[1], -kv[0]))[:CANDIDATES]
        return [self.stories[sid] for sid, _ in best]

    def add_signals(self, article_id: int, sig: Signals, published: datetime | None) -> int:
        """Assign one article (its signals) to a story; returns the story id."""
        weighing = plan.weigh(sig, self.dfs, self.n_docs, self.params)
        cands = [plan.StoryBefore(s) for s in self.candidates(weighing.query, published)]
        joining = plan.join(weighing, published, None, "", cands, self.params)
        self.decisions.append(joining.decision)
        sid = joining.story_id or len(self.stories) + 1
        state = replace(joining.state, story_id=sid)
        self.stories[sid] = state
        self.members[sid].append(article_id)
        for t in self.story_terms.get(sid, []):
            self.postings[t].discard(sid)
        terms = list(joining.index_terms)
        self.story_terms[sid] = terms
        for t in terms:
            self.postings[t].add(sid)
        self.n_docs += 1
        self.dfs.update(sig.counts.keys())
        return sid

    def add(self, article_id: int, title: str, text: str, published: datetime | None) -> int:
        """Assign one article (title and body or teaser) to a story; returns the story id."""
        return self.add_signals(article_id, extract(title, text, published), published)

    def assignment(self) -> dict[int, int]:
        """article id -> story id."""
        return {aid: sid for sid, aids in self.members.items() for aid in aids}
