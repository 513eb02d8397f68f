"""Where articles come from: files, folders, URLs and feeds, through to one saved article each.

``ingest`` reads inputs, ``sandbox`` runs each document's reading, cleaning and fingerprinting
(``prepared``) in a worker process with a time and memory budget, and ``saving``/``batches``
store the result: one read of what the article needs, a pure decision by summarizer/ (duplicate
of, story), one atomic write. ``fetch`` and ``guard`` fetch with limits and refuse internal
addresses; ``feeds`` and ``live`` run feed polling rounds (conditional GET, back-off); ``opml``
reads and writes feed lists; ``mending`` merges and splits stories for admins.
"""
