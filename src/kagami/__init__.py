"""Kagami: detect and answer foreign interference in elections on social media."""

__version__ = "0.1.0"
