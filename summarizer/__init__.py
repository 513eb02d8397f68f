"""briefbot's pure text logic: cleaning, clustering, briefings, quotes. No I/O here."""
