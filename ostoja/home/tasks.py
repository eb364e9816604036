"""Background tasks of the shell."""

from huey.contrib.djhuey import task


@task()  # type: ignore[untyped-decorator]
def ping(token: str) -> str:
    """Echo ``token`` from the worker: proves a worker is running and reading the queue."""
    return token
