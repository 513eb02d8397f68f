"""Briefings: candidate sentences, grouping of sentences that state one fact, ranking, selection and the per-outlet credits."""
