"""NLTK without scipy: NLTK's package import pulls in scipy.stats and scikit-learn when they are
installed (for statistics and classifiers briefbot never uses), about 2 s of CPU in every process
that splits sentences. While NLTK itself is being imported, this finder makes those imports fail;
NLTK guards each of them (``try: ... except ImportError``). Anything imported later, by us or
after NLTK has finished loading, finds scipy and scikit-learn as usual.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

_HIDDEN = ("scipy", "sklearn")


def _nltk_loading() -> bool:
    nltk = sys.modules.get("nltk")
    return bool(nltk is not None and getattr(nltk.__spec__, "_initializing", False))


class NltkWithoutScipy(importlib.abc.MetaPathFinder):
    """Refuses scipy and scikit-learn to NLTK's own package import; everything else passes."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        """Raise for scipy/sklearn while NLTK is being imported; otherwise let others find it."""
        if fullname.split(".")[0] in _HIDDEN and _nltk_loading():
            raise ModuleNotFoundError(f"{fullname} not loaded for NLTK", name=fullname)
        return None


def install() -> None:
    """Put the finder first on sys.meta_path (once; nothing to do once NLTK is loaded)."""
    if "nltk" in sys.modules or any(isinstance(f, NltkWithoutScipy) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, NltkWithoutScipy())
