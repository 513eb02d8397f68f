"""Quotes: finding quoted spans, attributing each to its speaker, and merging the same quote across a story's outlets."""
