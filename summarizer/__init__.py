"""briefbot's pure text logic, one folder per stage: no I/O, no database, no network here.

``nlp/`` (the one toolkit: sentence spans, tokens, stems, stop words, terms, tf-idf), ``read/``
(bytes to text and metadata), ``clean/`` (clutter removal), ``stories/`` (duplicates and story
assignment, decided here and applied by the store), ``brief/`` (briefings and their credits) and
``quotes/`` (quotes and speakers); ``models`` holds the frozen values every stage shares and
``errors`` the one-line input errors. Nothing here imports telegram, sqlite_utils, httpx or the
environment; NLTK is loaded on first use, and without scipy (see nlp/lean_nltk.py).
"""

from summarizer.nlp import lean_nltk as _lean_nltk

_lean_nltk.install()  # before anything here imports NLTK (directly or through sumy)
