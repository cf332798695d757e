"""Resolve cited URLs: fetch, follow, classify."""
