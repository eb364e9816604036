"""Logs without personal data (README "Deployment": "Logs").

Every log record carries the request it was written in (``request_id``, random, made here)
and the signed-in user's code (``user``: a UUID, never a name or an address). The one line
each request writes (``ostoja.request``) has the method, the path without its query string
(a search or a filter may hold a name or a number), the status and the time — never an
address, a user agent or anything the request carried. ``OSTOJA_LOG_FORMAT=json`` (the
production default) writes one JSON object a line (python-json-logger).
"""

import logging
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

NONE = "-"
request_id: ContextVar[str] = ContextVar("request_id", default=NONE)
user_code: ContextVar[str] = ContextVar("user_code", default=NONE)
FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user)s"
PLAIN = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s] %(message)s"

logger = logging.getLogger("ostoja.request")


def json_formatter() -> JsonFormatter:
    """JSON, one object a line. Never the request object Django attaches to its own records
    ("Not Found: …"): its text carries the query string."""
    return JsonFormatter(
        FIELDS,
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        reserved_attrs=[*RESERVED_ATTRS, "request"],
    )


KEY = "ostoja.log"  # request.META: the request's id and user's code, for records written after


class ContextFilter(logging.Filter):
    """Adds the request id and the user's code to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = record.__dict__.get("request")
        if hasattr(record, "request_id"):  # another handler's filter came first
            return True
        name, user = request_id.get(), user_code.get()
        if name == NONE and request is not None:
            # Django logs an error response once every middleware has returned.
            name, user = request.META.get(KEY, (NONE, NONE))
        record.request_id, record.user = name, user
        return True


def _code_of(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    return str(user.code) if user is not None and user.is_authenticated else NONE


class RequestLogMiddleware:
    """Names the request for the records written while it runs, and logs one line when it
    is answered. After the authentication middleware (it names the user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        name = uuid.uuid4().hex[:16]
        id_token = request_id.set(name)
        user_token = user_code.set(_code_of(request))
        try:
            response = self.get_response(request)
            user_code.set(_code_of(request))  # who signed in (or out) meanwhile
            request.META[KEY] = (name, user_code.get())
            milliseconds = round((time.perf_counter() - started) * 1000)
            logger.info(
                "%s %s %s %d ms",
                request.method,
                request.path,
                response.status_code,
                milliseconds,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": milliseconds,
                },
            )
            return response
        finally:
            user_code.reset(user_token)
            request_id.reset(id_token)
