"""The one text toolkit every stage splits, tokenizes and compares text with.

``text``: normalisation, folding, the word tokenizer and the one sentence splitter with
character offsets (``sentence_spans``: NLTK Punkt with a news abbreviation list, offline;
briefings and quotes both use it); ``terms``: the stemmer, stop list and content-term extractor
(sumy's, offline, made on first use); ``similarity``: tf-idf cosine and containment matrices and
near-duplicate grouping of sentences; ``lean_nltk``: NLTK imported without scipy and
scikit-learn. Importing this package loads neither NLTK nor numpy.
"""
