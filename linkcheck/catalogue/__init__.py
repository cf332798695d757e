"""Back catalogues: a store of articles and the links they cite (store.py,
schema.py), filled from sitemaps, feeds, folders and URL lists (sources.py),
audited resumably in host shards (runner.py, shards.py, dask_runner.py),
re-checked over time (monitor.py) and reported as a whole (report.py)."""
