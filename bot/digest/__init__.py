"""Daily digests: what goes into a chat's digest, when it is due, and exactly-once delivery."""
