"""Clutter removal: which lines of a read document are the article's own text.

``lines`` reduces markdown and text dumps to lines; ``shape``, ``appeals``, ``boilerplate``,
``rules`` and ``metadata`` describe each line by its shape (navigation, teasers, donation and
subscription appeals, captions, bylines, footers), never by an outlet's own strings;
``features`` and the fitted line ``model`` (weights in ``data/``, fitted by bench/fit_clean.py)
score them; ``select`` keeps the article; ``cleaner`` turns one raw input into a CleanDoc.
"""
