"""Fitted story-assignment parameters, shipped as package data (fitted by bench/eval_stories.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Params:
    """Weights and thresholds of ``summarizer.stories.assign``."""

    threshold: float = 0.30  # full articles join a story at or above this similarity
    short_threshold: float = 0.30  # headline-only / teaser items
    prior_mix: float = 0.6  # share of the general-English rarity prior in a term's idf
    name_boost: float = 1.5  # names (people, places, organisations) in full articles count more
    short_name_boost: float = 1.0  # ... and in headline-only items (title case hides names)
    figure_boost: float = 1.0  # amounts and counts
    centroid_weight: float = 0.5  # centroid cosine vs mean of the best member heads
    top_heads: int = 2  # how many best-matching member heads are averaged
    # A candidate story shares at least this share of the article's lookup terms among its index
    # terms (``assign.min_shared_terms``): a story of another happening found through a few
    # generic words (same kind of event, another place) is not weighed at all.
    min_shared: float = 0.15
    # Headline-only items: a logistic model over four kinds of evidence (``assign.short_features``);
    # its probability, times the time factor, is compared with ``short_threshold``. All weights
    # zero: headlines are scored like full articles (``assign.similarity``).
    short_bias: float = 0.0
    short_w_central: float = 0.0  # cosine with the story's centroid
    short_w_member: float = 0.0  # mean cosine with the best member heads
    short_w_shared: float = 0.0  # log(1 + terms of the item found anywhere in the story)
    short_w_spread: float = 0.0  # share of the latest member heads sharing a term with the item

    @property
    def short_model(self) -> bool:
        """True when headline-only items are scored by the fitted logistic model."""
        return any(
            (self.short_w_central, self.short_w_member, self.short_w_shared, self.short_w_spread)
        )


@lru_cache(maxsize=1)
def load_params() -> Params:
    """The shipped parameters (``data/assign.json``), defaults for any missing key."""
    try:
        raw = resources.files("summarizer.stories").joinpath("data/assign.json").read_text()
    except (FileNotFoundError, ModuleNotFoundError):
        return Params()
    values = json.loads(raw).get("params", {})
    known = {f.name for f in fields(Params)}
    kwargs: dict[str, Any] = {
        k: (int(v) if k == "top_heads" else float(v)) for k, v in values.items() if k in known
    }
    return Params(**kwargs)
