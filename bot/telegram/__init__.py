"""The Telegram front end: PTB wired in one function, and nothing else of the product's logic.

``app`` builds the Application (bot, defaults, handlers, jobs, command menus) and runs
`briefbot run` by polling or webhook; ``handlers`` are thin wrappers that hand a command to the
framework-free command layer (bot/chat) and answer in the right chat, topic or message;
``backend``, ``workers`` and ``writer`` keep SQLite and ingest off the event loop (store worker
threads, one ingest writer); ``jobs``, ``alerts`` and ``limiter`` schedule and pace digests,
follow alerts and feed polling. The bot token is only ever handed to PTB, never logged.
"""
