"""Bytes to text and metadata: decoding, HTML extraction, feed parsing, front matter, bylines and datelines, outlet evidence and URL normalisation."""
