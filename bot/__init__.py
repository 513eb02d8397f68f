"""briefbot's I/O and wiring: CLI, storage, ingest, Telegram, digests."""
