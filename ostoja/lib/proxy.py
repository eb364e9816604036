"""The client's address behind the reverse proxy (deploy/Caddyfile).

Every request reaches the application from the proxy on the same machine, so without this
``REMOTE_ADDR`` would be 127.0.0.1 for everyone: allauth's per-address sign-in limit and the
portal's abuse buckets (``ostoja.portal.abuse``) would count all visitors as one. The proxy
writes the address it received the request from as the last ``X-Forwarded-For`` entry; it
is believed only from a loopback address (the proxy), never from anyone else. The portal's
middleware then takes it off a portal request (keeping only its day's abuse bucket).
"""

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def client_address(app: WSGIApp) -> WSGIApp:
    def with_client_address(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and _is_loopback(environ.get("REMOTE_ADDR", "")):
            client = forwarded.rsplit(",", 1)[-1].strip()
            if _is_address(client):
                environ["REMOTE_ADDR"] = client
        return app(environ, start_response)

    return with_client_address


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_loopback(text: str) -> bool:
    return _is_address(text) and ipaddress.ip_address(text).is_loopback
