"""The deployment files (deploy/, README "Deployment") are valid to the tools that read
them, and the proxy routes as described: Debian's Caddy runs our Caddyfile (plain HTTP on
a free local port instead of TLS) in front of a local upstream that echoes what reached it."""

import contextlib
import http.client
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_caddyfile_is_valid_and_formatted() -> None:
    checked = run(
        "caddy", "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"
    )
    assert checked.returncode == 0, checked.stderr
    formatted = run("caddy", "fmt", str(DEPLOY / "Caddyfile"))
    assert formatted.stdout == (DEPLOY / "Caddyfile").read_text(encoding="utf-8")


def test_the_scripts_pass_shellcheck() -> None:
    checked = run("shellcheck", *map(str, sorted(DEPLOY.glob("*.sh"))))
    assert checked.returncode == 0, checked.stdout


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    """``systemd-analyze verify`` on the units, their programs pointed at this checkout's
    (the units name /opt/ostoja, which this machine does not have)."""
    venv = str(Path(sys.executable).parent)
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text(encoding="utf-8")
        text = text.replace("/opt/ostoja/.venv/bin", venv).replace(
            "/opt/ostoja", str(DEPLOY.parent)
        )
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    checked = run("systemd-analyze", "verify", *map(str, sorted(tmp_path.iterdir())))
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""


class Echo(http.server.BaseHTTPRequestHandler):
    """The application's stand-in: answers 200 with the path and host that reached it."""

    def handle(self) -> None:
        # The proxy gives up on a request it refuses (the upload limit).
        with contextlib.suppress(OSError):
            super().handle()

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer()

    def _answer(self) -> None:
        body = f"upstream {self.headers['Host']} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[int]:
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = free_port()
    static = tmp_path / "static"
    static.mkdir()
    (static / "app.css").write_text("body{}", encoding="utf-8")
    text = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    text = (
        text.replace("{\n\temail", "{\n\tadmin off\n\temail", 1)
        .replace("ostoja.example.org {", f"http://ostoja.example.org:{port} {{")
        .replace("portal.example.org {", f"http://portal.example.org:{port} {{")
        .replace("127.0.0.1:8000", f"127.0.0.1:{upstream.server_address[1]}")
        .replace("/var/lib/ostoja-static", str(static))
    )
    config = tmp_path / "Caddyfile"
    config.write_text(text, encoding="utf-8")
    env = os.environ | {"XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    caddy = subprocess.Popen(  # noqa: S603
        [
            shutil.which("caddy") or "caddy",
            "run",
            "--config",
            str(config),
            "--adapter",
            "caddyfile",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "caddy did not start"
                time.sleep(0.1)
        yield port
    finally:
        caddy.terminate()
        caddy.wait(30)
        upstream.shutdown()
        upstream.server_close()


def get(
    port: int, host: str, path: str, *, method: str = "GET", body: bytes = b""
) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body or None, headers={"Host": f"{host}:{port}"})
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


def test_the_proxy_routes_the_two_host_names(proxy: int) -> None:
    staff, portal = "ostoja.example.org", "portal.example.org"
    # The staff host reaches the application; the portal is sent to its own name.
    response = get(proxy, staff, "/cases/")
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security", "").startswith("max-age=31536000")
    assert response.getheader("Server") is None
    response = get(proxy, staff, "/portal/pl/")
    assert response.status == 308
    assert response.getheader("Location") == "https://portal.example.org/portal/pl/"
    # The portal host reaches the portal's pages and nothing else.
    assert get(proxy, portal, "/portal/pl/").status == 200
    response = get(proxy, portal, "/")
    assert response.status == 302 and response.getheader("Location") == "/portal/"
    for path in ("/cases/", "/accounts/login/", "/helpline/"):
        assert get(proxy, portal, path).status == 404, path
    # The application's checks answer on the server only.
    for host in (staff, portal):
        for path in ("/health/", "/ready/", "/ready"):
            assert get(proxy, host, path).status == 404, (host, path)
    # Static files come from the disk, cached for a year.
    response = get(proxy, portal, "/static/app.css")
    assert response.status == 200
    assert "immutable" in response.getheader("Cache-Control", "")
    # Upload limits: the portal takes a message, not a file. (Debian's Caddy 2.6 answers 502
    # when it stops reading; later ones 413. Either way the application never gets it.)
    refused = get(proxy, portal, "/portal/pl/message/", method="POST", body=b"x" * 70_000)
    assert refused.status in (413, 502)
    assert not refused.body.startswith(b"upstream")  # type: ignore[attr-defined]
    response = get(proxy, staff, "/cases/", method="POST", body=b"x" * 70_000)
    assert response.status == 200
