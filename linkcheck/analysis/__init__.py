"""Reading the article against its evidence: story date, sentences, text
matching, the source map."""
