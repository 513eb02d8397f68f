"""The framework-free command layer shared by Telegram and the console.

``commands`` turns (store, command text, caller) into a Reply; one module per group of commands
(``welcome``, ``browse``, ``subscriptions``, ``adding``, ``admin``, ``follow``, ``filters``,
``prefs``, ``opml``, ``chart``, ``summarize``) registers its ``COMMANDS``; ``coverage_chart`` draws
the /chart PNG (matplotlib, imported on first use); ``pages`` lays out a story's views (brief,
quotes, sources, lists) as JSON-ready data and Replies; ``views`` caches them per story version;
``render`` turns a Reply into escaped Telegram HTML split at 4096 characters or into plain text;
``console`` is `briefbot chat`. Nothing here imports PTB: changes a transport must act on
(subscriptions) come back as events, not as text to re-parse.
"""
