"""The Mozilla HTTP Observatory's scan of Ostoja behind its proxy (issue #20).

Runs MDN's own scanner (the ``@mdn/mdn-http-observatory`` npm package, its CLI
``src/scan.js``) against ``deploy/Caddyfile`` served by Debian's Caddy on this machine, in
front of gunicorn running Ostoja in production mode (PostgreSQL, Redis) — once for the
staff host and once for the portal's host — and prints the grade, the score and every
test's result. Nothing leaves the machine but the npm install.

The scanner takes a host name, no port: it fetches ``http://NAME/`` and ``https://NAME/``
and follows redirects, checking certificates. So the scanned site is named ``localhost``
(the other keeps its example name on a free HTTP port), Caddy listens on 127.0.0.1:80 and
:443 (root, or the ports free for Caddy) and gives ``localhost`` a certificate of its own
local CA (Caddy does this for ``localhost``), which node is told to trust
(``NODE_EXTRA_CA_CERTS``; the package's wrapper would replace it with Mozilla's bundle, so
``src/scan.js`` is run directly).

The package's install script downloads Chromium's HSTS preload list and the list of
top-level domains; offline (as here) it is installed with ``--ignore-scripts`` and an empty
preload list is written (``localhost`` is in no preload list anyway).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ostoja_observatory make bench-observatory

``OBSERVATORY_DIR`` (/tmp/ostoja-observatory): where the package is installed (not in the
repository). Results also go to ``var/observatory-<site>.json``.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ostoja.lib.crypto.keys import generate_key

PACKAGE = "@mdn/mdn-http-observatory@1.4.8"
# Outside the repository; a fixed name so that a second run reuses the install.
INSTALL = Path(os.environ.get("OBSERVATORY_DIR", "/tmp/ostoja-observatory"))  # noqa: S108
SCANNER = INSTALL / "node_modules/@mdn/mdn-http-observatory"
BIN = Path(sys.executable).parent
TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{what} did not start") from None
            time.sleep(0.2)


def install() -> None:
    if not (SCANNER / "src/scan.js").exists():
        INSTALL.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", PACKAGE],  # noqa: S607
            cwd=INSTALL,
            check=True,
            timeout=600,
        )
    preload = SCANNER / "conf/hsts-preload.json"
    if not preload.exists():
        preload.write_text("{}", encoding="utf-8")


def environment(scratch: Path) -> dict[str, str]:
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        raise SystemExit("DATABASE_URL=postgres://… please (production mode needs PostgreSQL)")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("OSTOJA_", "DJANGO_"))}
    return keep | {
        "DJANGO_SETTINGS_MODULE": "ostoja.settings",
        "OSTOJA_ENV": "production",
        "OSTOJA_SECRET_KEY": generate_key() + generate_key(),
        "OSTOJA_FIELD_KEYS": "1:" + generate_key(),
        "OSTOJA_INDEX_KEY": generate_key(),
        "OSTOJA_AUDIT_KEY": generate_key(),
        "OSTOJA_ALLOWED_HOSTS": "localhost",
        "OSTOJA_BASE_URL": "https://localhost",
        "DATABASE_URL": database,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        "OSTOJA_EMAIL_HOST": "127.0.0.1",
        "OSTOJA_VAR_DIR": str(scratch / "var"),
        "OSTOJA_STATIC_DIR": str(scratch / "static"),
        "OSTOJA_AUDIT_CHECKPOINT_MAIL": "false",
        "OSTOJA_LOG_LEVEL": "WARNING",
    }


def caddyfile(scanned: str, app_port: int, other_port: int, static: Path) -> str:
    """deploy/Caddyfile with the scanned site named ``localhost`` (HTTPS on 443 with Caddy's
    local CA, HTTP on 80 redirected) and the other on plain HTTP on a free port."""
    other = "portal" if scanned == "staff" else "staff"
    names = {"staff": "ostoja.example.org", "portal": "portal.example.org"}
    text = (ROOT / "deploy/Caddyfile").read_text(encoding="utf-8")
    return (
        text.replace("{\n\temail", "{\n\tadmin off\n\tskip_install_trust\n\temail", 1)
        .replace(f"{names[scanned]} {{", "localhost {", 1)
        .replace(f"{names[other]} {{", f"http://{names[other]}:{other_port} {{", 1)
        .replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
        .replace("/var/lib/ostoja-static", str(static))
    )


def scan(site: str, env: dict[str, str], app_port: int, scratch: Path) -> dict[str, object]:
    data = scratch / f"caddy-{site}"
    data.mkdir()
    config = data / "Caddyfile"
    config.write_text(caddyfile(site, app_port, free_port(), scratch / "static"), encoding="utf-8")
    caddy_env = env | {"XDG_DATA_HOME": str(data), "XDG_CONFIG_HOME": str(data)}
    caddy = subprocess.Popen(  # noqa: S603
        [
            shutil.which("caddy") or "caddy",
            "run",
            "--config",
            str(config),
            "--adapter",
            "caddyfile",
        ],
        env=caddy_env,
        stdout=subprocess.DEVNULL,
        stderr=(data / "caddy.log").open("w"),
    )
    try:
        wait_for(443, "caddy")
        root = data / "caddy/pki/authorities/local/root.crt"
        deadline = time.monotonic() + 30
        while not root.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        done = subprocess.run(  # noqa: S603
            ["node", str(SCANNER / "src/scan.js"), "localhost"],  # noqa: S607
            cwd=SCANNER,
            env=os.environ | {"NODE_EXTRA_CA_CERTS": str(root)},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        caddy.terminate()
        caddy.wait(30)
    try:
        return dict(json.loads(done.stdout))
    except json.JSONDecodeError:
        raise SystemExit(f"the scanner failed:\n{done.stdout}\n{done.stderr}") from None


def main() -> None:
    install()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        env = environment(scratch)
        manage = [str(BIN / "python"), str(ROOT / "manage.py")]
        for step in (
            ["migrate", "--no-input", "-v", "0"],
            ["collectstatic", "--no-input", "-v", "0"],
        ):
            subprocess.run([*manage, *step], env=env, cwd=ROOT, check=True, timeout=600)  # noqa: S603
        app_port = free_port()
        web = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy/gunicorn_conf.py")]
            + ["--bind", f"127.0.0.1:{app_port}", "--workers", "2", "ostoja.wsgi:application"],
            env=env,
            cwd=ROOT,
        )
        try:
            wait_for(app_port, "gunicorn")
            (ROOT / "var").mkdir(exist_ok=True)
            for site in ("staff", "portal"):
                result = scan(site, env, app_port, scratch)
                (ROOT / f"var/observatory-{site}.json").write_text(
                    json.dumps(result, indent=2), encoding="utf-8"
                )
                report(site, result)
        finally:
            web.terminate()
            web.wait(30)


def report(site: str, result: dict[str, object]) -> None:
    summary = result.get("scan", {})
    assert isinstance(summary, dict)
    print(
        f"{site}: grade {summary.get('grade')}, score {summary.get('score')}, "
        f"{summary.get('testsPassed')}/{summary.get('testsQuantity')} tests passed "
        f"(final URL status {summary.get('statusCode')})"
    )
    tests = result.get("tests", {})
    assert isinstance(tests, dict)
    for name, test in sorted(tests.items()):
        mark = "pass" if test.get("pass") else "FAIL"
        print(f"  {mark} {name}: {test.get('result')} ({test.get('scoreModifier'):+d})")


if __name__ == "__main__":
    main()
