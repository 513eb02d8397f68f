"""briefbot's I/O and wiring: everything that touches the outside world lives here.

``cli/`` (the `briefbot` command), ``config.py`` (the only reader of the environment), ``store/``
(the only package that touches SQLite), ``sources/`` (files, URLs and feeds through the reading
sandbox into the store), ``chat/`` (the framework-free command layer, its pages and renderers,
the console), ``telegram/`` (PTB wiring, handlers, jobs), ``digest/`` and ``follow/`` (scheduled
deliveries, exactly once). The text logic itself is summarizer/'s: bot/ reads, stores, asks
summarizer/ to decide and serves the result; nothing here registers itself on import.
"""
