"""The one text toolkit: sentence spans, word tokens, stems, stop words, terms and tf-idf similarity; every other stage splits and tokenizes through it."""
