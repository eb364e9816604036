"""Prometheus metrics without personal data (README "Deployment": "Metrics").

* ``ostoja_request_seconds{view}``: each request's time, by the name of the view its URL
  resolved to (``cases:detail``) — never the path, which carries codes — or ``unresolved``.
* ``ostoja_failed_sign_ins_total``: passwords refused (Django's ``user_login_failed``); no
  label, so no address or e-mail.
* Gauges computed when scraped (``ostoja.home.metrics``): the tasks waiting in the queue and
  the escalation notifications waiting to be sent.

gunicorn runs several worker processes: with ``PROMETHEUS_MULTIPROC_DIR`` set (the web
unit does, a folder systemd empties at each start) each worker writes its counters to files
there and a scrape sums every worker's (prometheus_client's multiprocess mode); without it
(development, tests) the process's own registry is read."""

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUEST_SECONDS = Histogram(
    "ostoja_request_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
FAILED_SIGN_INS = Counter("ostoja_failed_sign_ins_total", "Sign-ins refused a password.")


def failed_sign_in(**kwargs: Any) -> None:
    """``user_login_failed``'s receiver: counts, and keeps nothing of the credentials."""
    FAILED_SIGN_INS.inc()


class MetricsMiddleware:
    """Times each request, labelled by its resolved view's name (early in the chain, so
    that the time includes the other middleware's)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None else "unresolved"
        REQUEST_SECONDS.labels(view=view).observe(time.perf_counter() - started)
        return response


def exposition(collectors: Iterable[Collector] = ()) -> tuple[bytes, str]:
    """The metrics in Prometheus's text format, with ``collectors`` computed now: every
    worker's with ``PROMETHEUS_MULTIPROC_DIR``, else this process's."""
    registry = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # untyped upstream
    else:
        registry.register(_Process())
    for collector in collectors:
        registry.register(collector)
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Process(Collector):
    """This process's own metrics (the default registry's), for a registry of one scrape."""

    def collect(self) -> Iterable[Any]:
        return REGISTRY.collect()
