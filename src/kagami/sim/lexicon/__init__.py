"""Vocabularies and templates the text generator draws from: topics, names, outlets, campaign material."""

from kagami.sim.lexicon.common import SHARED, Topic

__all__ = ["SHARED", "Topic"]
