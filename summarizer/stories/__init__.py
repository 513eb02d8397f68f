"""Story grouping: which articles are copies, and which story a new article belongs to.

``duplicates`` fingerprints an article so that a copy in another format, or a truncated copy,
is recognised; ``signals`` and ``days`` read what identifies the event an article reports (rare
terms, names, figures, the day it happened); ``assign`` and ``cluster`` score the candidate
stories with fitted parameters (``params``, data in ``data/``); ``plan`` is the pure decision
for one new article between the store's read and its atomic write; ``online`` runs the same
steps in memory for benchmarks; ``records`` keeps story state as plain JSON; ``toplist`` ranks
the day's stories. The store does every lookup and write; nothing here touches a database.
"""
