"""Where articles come from: files, folders, URLs and feeds, with fetching and the ingest pipeline read -> clean -> decide -> apply."""
