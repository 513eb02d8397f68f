"""The Telegram front end: the PTB Application, its handlers, jobs and rate limiting, wired in one function."""
