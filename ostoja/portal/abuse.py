"""Abuse limits without addresses (SECURITY.md §2.4): ``PortalMiddleware`` turns the
visitor's address, before it drops it, into a bucket — an HMAC under a key that changes
every day, cut to 64 bits — and counters keyed by that bucket live in the cache for a day
at most. The address is never stored; yesterday's buckets cannot be linked to today's.

The limits are per bucket, never global (a flood from one place must not lock out a
victim writing from another), and generous for one person."""

import datetime as dt
import hashlib
import hmac

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from ostoja.lib.crypto.keys import derive, keyring

BUCKET = "ostoja.portal.bucket"
# kind -> (how many, per how many seconds)
LIMITS = {
    "report": (10, 24 * 3600),  # new reports a day
    "message": (30, 24 * 3600),  # messages added to reports a day
    "receipt": (20, 3600),  # receipt codes tried an hour (guessing)
}


def bucket_of(address: str, day: dt.date | None = None) -> str:
    day = day or timezone.now().date()
    key = derive(keyring().index_key, "portal-abuse", day.isoformat())
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:16]


def allow(request: HttpRequest, kind: str) -> bool:
    """Count one ``kind`` of action from the request's bucket; ``False`` once over the
    limit."""
    most, seconds = LIMITS[kind]
    key = f"portal:{kind}:{request.META.get(BUCKET, '')}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count <= most
