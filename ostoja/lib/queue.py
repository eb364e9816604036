"""The task queue on Redis (``OSTOJA_TASK_QUEUE=redis``): huey's, with task locks that expire.

A task lock (``lock_task``) keeps a periodic task from running twice at once. A worker
killed while holding one would hold it forever, so on the embedded store (one machine, one
worker process) every lock is cleared when the worker starts (``flush_locks``). With several
workers on one Redis that would let a restarted worker free a lock another worker still
holds, and the task run twice at once. On Redis, instead, no worker clears locks and every
lock expires after ``OSTOJA_TASK_LOCK_SECONDS`` (a key TTL; huey's hash storage would need
Redis 7.4 for field TTLs, so results and locks are kept as plain keys:
``RedisExpireHuey``). The TTL must be longer than the longest run of any locked task: they
take seconds; the default is 15 minutes."""

from django.conf import settings
from huey import RedisExpireHuey
from huey.api import TaskLock


class RedisHuey(RedisExpireHuey):  # type: ignore[misc]  # huey is untyped
    """huey on Redis whose task locks expire (the module's docstring)."""

    def lock_task(self, lock_name: str, ttl: int | None = None) -> TaskLock:
        return TaskLock(self, lock_name, ttl or settings.OSTOJA_TASK_LOCK_SECONDS)
