"""The client's address behind the proxy (ostoja.lib.proxy), through the WSGI interface
gunicorn calls."""

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from ostoja.lib.proxy import client_address


def seen(remote: str, forwarded: str | None) -> str:
    found: dict[str, str] = {}

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        found["address"] = environ["REMOTE_ADDR"]
        start_response("200 OK", [])
        return [b""]

    environ = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    client_address(app)(environ, lambda *args: None)
    return found["address"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),  # through the proxy
        ("::1", "2001:db8::7", "2001:db8::7"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the proxy's own entry
        ("127.0.0.1", None, "127.0.0.1"),  # straight from the server (the monitoring)
        ("127.0.0.1", "not an address", "127.0.0.1"),
        ("198.51.100.1", "203.0.113.9", "198.51.100.1"),  # not the proxy: not believed
    ],
)
def test_the_address_is_taken_from_the_proxy_only(
    remote: str, forwarded: str | None, expected: str
) -> None:
    assert seen(remote, forwarded) == expected
