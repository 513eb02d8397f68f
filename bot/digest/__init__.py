"""Daily digests: what goes into a chat's digest, when it is due, and exactly-once delivery.

It owns the digest's content (the day's top stories with a short summary each, filtered per chat)
and its timing (the chat's time and zone, quiet hours, catch-up of a missed digest), and claims
each delivery in the store's sent-log before sending so that a restart never sends one twice. It
depends on the store and a small sending protocol, not on the command layer or on PTB; the
Telegram layer schedules it and does the sending. ``updates`` loads and lays out what is new in
a story since a time (a digest's earlier send, a follow alert, `briefbot brief --since`).
"""
