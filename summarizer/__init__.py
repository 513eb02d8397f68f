"""briefbot's pure text logic: cleaning, clustering, briefings, quotes. No I/O here."""

from summarizer.nlp import lean_nltk as _lean_nltk

_lean_nltk.install()  # before anything here imports NLTK (directly or through sumy)
