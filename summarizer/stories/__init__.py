"""Story grouping: near-duplicates, assignment of a new article to a story, and ranking of the day's top stories."""
