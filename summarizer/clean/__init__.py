"""Clutter removal: decides which lines of a read document are the article (navigation, teasers, appeals, captions and footers go)."""
