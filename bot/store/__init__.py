"""The only package that touches SQLite.

One connection (``db``), the schema as sqlite-utils migrations (``schema``), and one part per
domain over it: ``articles``, the clustering ``index`` (near-duplicate bands, term frequencies,
story terms), ``stories`` and their cached ``views``, ``chats`` (subscriptions and the digest
sent-log), ``feeds`` and ``search``. ``Store`` puts them behind one object. Results are
summarizer.models values or the small typed records defined here, never rows; every SQLite
failure surfaces as ``StorageError``; writes are grouped with the nestable ``Store.atomic()``.
"""

from bot.store.chats import DigestAttempt, Subscriber, Subscription
from bot.store.db import StorageError
from bot.store.facade import Store
from bot.store.feeds import Feed
from bot.store.search import SearchHit, fts_query

__all__ = [
    "DigestAttempt",
    "Feed",
    "SearchHit",
    "StorageError",
    "Store",
    "Subscriber",
    "Subscription",
    "fts_query",
]
