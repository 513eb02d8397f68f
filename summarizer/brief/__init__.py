"""Briefings: the few sentences that tell a story, each credited to the outlets that carry it.

``sentences`` picks candidate sentences (real, complete, verbatim) from each article's body;
``parts`` keeps all of a briefing's per-article work (candidates, their concepts and terms) so
it is done once per article and stored (``parts_codec``: as bytes), not once per view;
``facts`` decides when two sentences state the same fact (fitted data in ``data/``);
``ranking`` scores centrality (a vectorised LexRank) and word overlap; ``briefing`` selects
within a word budget without repeats; ``credits`` says who carries each fact and makes only
honest "only one outlet" claims; ``coherence`` avoids sentences whose subject is left
unnamed; ``since`` finds what is new after a time; ``filters`` applies per-chat mutes.
"""
