"""WARC snapshots: writing, replaying, indexing."""
