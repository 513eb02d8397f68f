"""Quotes: the direct quotes of an article, who said each, and one entry per quote per story.

``spans`` finds quotation-mark spans and multi-paragraph quotes; ``tokens`` splits each paragraph
into sentences with the shared splitter (summarizer.nlp.text.sentence_spans, never ending inside
a quote) and tokens with each quote masked; ``cues``, ``phrases``, ``names``, ``speakers`` and
``coref`` find the speech cue, the phrase that names the source and the person it refers to;
``extract`` puts them together for one article; ``merge`` joins the same quote across a
story's outlets under one name per speaker.
"""
