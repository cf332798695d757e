"""Host shards on Dask (`pip install 'linkcheck[dask]'`).

The links still to check are split into `shards_per_worker` x workers host
shards by the hash of their registrable domain; each shard goes to the
cluster in chunks of `chunk` links, one chunk of a shard at a time, so a
host is only ever fetched from one place and per-host politeness stays
global without a lock. Results come back with `as_completed` to this
process, the coordinator, which alone writes the store. Each worker process
writes its own WARC. A worker that dies takes only its shard's unfinished
chunk with it: Dask runs that task again on another worker, and since
nothing of it reached the store, its links are checked once.
"""

from __future__ import annotations

import logging
import threading
import uuid

from linkcheck.catalogue.shards import LinkJob, ShardConfig, close_worker_sinks, shard_task
from linkcheck.catalogue.store import Store
from linkcheck.errors import InputError


class DaskBackend:
    def __init__(self, config: ShardConfig, workers: int | None = None,
                 scheduler: str | None = None, shards_per_worker: int = 4,
                 chunk: int = 2000):
        from distributed import Client, LocalCluster

        self.config, self.chunk = config, chunk
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="10s")
            else:
                self.cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1,
                                            processes=True, host="127.0.0.1",
                                            dashboard_address=None,
                                            silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
        count = len(self.client.scheduler_info().get("workers", {})) or workers or 1
        self.shards = max(1, count * shards_per_worker)
        self.run = uuid.uuid4().hex[:8]

    def resolve(self, store: Store, cutoff: str, on_result, stop: threading.Event) -> None:
        from distributed import as_completed

        pending = as_completed()
        where: dict[object, tuple[int, int, object]] = {}

        def submit(shard: int, after: int) -> None:
            rows = list(store.pending_links(cutoff, self.shards, shard, after=after,
                                            limit=self.chunk))
            if not rows:
                return
            jobs = [LinkJob(r.id, r.url, r.host) for r in rows]
            future = self.client.submit(shard_task, jobs, self.config, pure=False,
                                        key=f"linkcheck-shard-{self.run}-{shard}-{rows[0].id}")
            where[future.key] = (shard, rows[-1].id, future)
            pending.add(future)

        for shard in range(self.shards):
            submit(shard, 0)
        for future in pending:
            shard, last, _ = where.pop(future.key)
            for result in future.result():
                on_result(result)
            if stop.is_set():
                self.client.cancel([entry[2] for entry in where.values()])
                return
            submit(shard, last)

    def close(self) -> list[str]:
        names: list[str] = []
        try:
            for files in self.client.run(close_worker_sinks).values():
                names += files
        finally:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()
        return names
