"""Bytes to text and metadata: everything known about an input before it is cleaned.

``decode`` turns bytes into text (BOMs, legacy encodings); ``html`` extracts the body with
trafilatura and the metadata from ``<meta>`` and JSON-LD; ``feeds`` parses RSS, Atom and JSON
Feed documents into entries; ``frontmatter`` reads YAML/TOML-style heads; ``meta`` and
``dates`` find bylines, copyright lines, datelines and publication times in the text itself;
``outlets`` reconciles which outlet published it; ``urls`` normalises URLs so that one article
has one URL.
"""
