"""URLs, the vocabulary every stage shares: parse and trim, normalise, dates written in them."""
