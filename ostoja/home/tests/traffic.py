"""Simulated people for the load and fault tests (issue #20; README "Load and faults"): members
of staff who sign in with their password and TOTP code and then work — the dashboard, the
contact list, a new contact saved as they type and completed, a case, a person, the shelter's
board — and portal visitors who send anonymous messages and self-checks, each from an
address of its own (the portal's abuse limits count per visitor).

Threads and ``http.client`` over TLS to the proxy on 127.0.0.1 (nothing else is reached):
the same driver serves ``bench/load.py`` and the fault test under pytest, where locust (its
gevent patching of the whole process) does not fit. Every request is timed and recorded
with its kind of page; every write a person saw succeed is recorded too (the contact's code,
the portal's receipt), so that what the server confirmed can be checked afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import http.client
import random
import re
import socket
import ssl
import statistics
import struct
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT = re.compile(r'data-testid="receipt"><strong>([\d ]{19})</strong>')
CONTACT = re.compile(r"^/helpline/([0-9a-f-]{36})/$")
STARTED = re.compile(r'name="started_at"[^>]*value="([^"]+)"')
FLAG = re.compile(r'name="flag" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]+)"')
TIMEOUT = 60.0


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238, as allauth checks it: SHA-1, 30 s, 6 digits (the authenticator app)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((time.time() if at is None else at) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


@dataclass
class Sample:
    kind: str
    ms: float
    ok: bool
    status: int
    at: float  # time.monotonic() when it ended


@dataclass
class Recorder:
    """What happened: every request, and every write a person saw succeed."""

    samples: list[Sample] = field(default_factory=list)
    confirmed: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    began: float = field(default_factory=time.monotonic)

    def add(self, sample: Sample, failure: str = "") -> None:
        with self.lock:
            self.samples.append(sample)
            if failure and len(self.failures) < 500:
                self.failures.append(f"{sample.at - self.began:6.1f} s {failure}")

    def confirm(self, what: str, value: str) -> None:
        with self.lock:
            self.confirmed[what].append(value)

    def table(self, since: float = 0.0, until: float = float("inf")) -> list[dict[str, Any]]:
        """Per kind of page: requests, errors, p50/p95/p99 (ms); the last row is all."""
        kinds: dict[str, list[Sample]] = defaultdict(list)
        with self.lock:
            chosen = [s for s in self.samples if since <= s.at < until]
        for sample in chosen:
            kinds[sample.kind].append(sample)
        rows = [summary(kind, found) for kind, found in sorted(kinds.items())]
        if chosen:
            rows.append(summary("all", chosen))
        return rows


def summary(kind: str, samples: list[Sample]) -> dict[str, Any]:
    times = sorted(s.ms for s in samples)
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    return {
        "kind": kind,
        "requests": len(samples),
        "errors": sum(not s.ok for s in samples),
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
    }


class Connection(http.client.HTTPSConnection):
    """HTTPS to the proxy on 127.0.0.1, whatever host name is asked for (sent as SNI and
    Host): the names are never looked up, so nothing but this machine is reached."""

    def __init__(
        self, host: str, port: int, context: ssl.SSLContext, source: str | None = None
    ) -> None:
        super().__init__(host, port, timeout=TIMEOUT, context=context)
        self.source = source

    def connect(self) -> None:
        source = (self.source, 0) if self.source else None
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout, source)
        try:
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]
        except BaseException:
            sock.close()
            raise


class Browser:
    """One person's browser on one host: its cookies, its connection, its last page."""

    def __init__(
        self,
        recorder: Recorder,
        host: str,
        port: int,
        context: ssl.SSLContext,
        source: str | None = None,
    ) -> None:
        self.recorder, self.host, self.port = recorder, host, port
        self.context, self.source = context, source
        self.cookies: dict[str, str] = {}
        self.page = ""
        self.conn: Connection | None = None

    def request(
        self,
        kind: str,
        path: str,
        form: dict[str, Any] | None = None,
        *,
        expect: tuple[int, ...] = (200,),
        htmx: bool = False,
    ) -> tuple[int, str]:
        """One request, timed and recorded under ``kind``; (status, Location). A status
        not in ``expect`` (or no answer) is an error; 0 means no answer."""
        headers = {"Accept-Language": "pl", "User-Agent": "ostoja-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}:{self.port}"
        if htmx:
            headers["HX-Request"] = "true"
        start = time.perf_counter()
        status, location, text, failure = 0, "", "", ""
        try:
            if self.conn is None:
                self.conn = Connection(self.host, self.port, self.context, self.source)
            self.conn.request("POST" if form is not None else "GET", path, body, headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            status, location = response.status, response.getheader("Location") or ""
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException) as error:
            failure = f"{kind} {path}: {type(error).__name__} {error}"
            self.close()
        ms = (time.perf_counter() - start) * 1000
        ok = status in expect
        if status and not ok:
            failure = f"{kind} {path}: {status} {location}"
        self.recorder.add(Sample(kind, ms, ok, status, time.monotonic()), failure)
        if status == 200:
            self.page = text
        return status, location

    def token(self) -> str:
        found = TOKEN.search(self.page)
        return found[1] if found else ""

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass(frozen=True)
class Person:
    """A member of staff of the seed: how they sign in and what they work on."""

    email: str
    password: str
    secret: str
    role: str


@dataclass
class World:
    """What the seed printed: the staff, and records to open (codes only)."""

    staff: list[Person]
    cases: list[str]
    people: list[str]


def sign_in(browser: Browser, person: Person) -> bool:
    """Password, then the current TOTP code: a real sign-in through allauth."""
    if browser.request("sign-in", "/accounts/login/")[0] != 200:
        return False
    form = {"csrfmiddlewaretoken": browser.token(), "login": person.email}
    status, location = browser.request(
        "sign-in", "/accounts/login/", form | {"password": person.password}, expect=(302,)
    )
    if status != 302 or browser.request("sign-in", location)[0] != 200:
        return False
    form = {"csrfmiddlewaretoken": browser.token(), "code": totp(person.secret)}
    status, location = browser.request("sign-in", location, form, expect=(302,))
    return status == 302 and not location.startswith("/accounts/")


class Staff:
    """One member of staff at work until ``stop``: a page, a pause (exponential, mean
    ``think`` seconds), another page, chosen by what their role does."""

    def __init__(
        self,
        person: Person,
        world: World,
        recorder: Recorder,
        port: int,
        context: ssl.SSLContext,
        *,
        think: float,
        ramp: float,
        minimal: str = "",
        seed: int = 0,
    ) -> None:
        self.person, self.world, self.think, self.minimal = person, world, think, minimal
        self.ramp = ramp
        # Each at a computer of their own (an address of its own: allauth limits sign-ins
        # to 30 a minute from one address, which a whole office behind one NAT exceeds).
        source = f"127.2.{seed // 254 % 254}.{seed % 254 + 1}"
        self.browser = Browser(recorder, "ostoja.localhost", port, context, source)
        self.recorder = recorder
        self.stop = threading.Event()
        self.random = random.Random(seed)  # noqa: S311  # a simulation, not a secret

    def run(self, stop: threading.Event) -> None:
        self.stop = stop
        stop.wait(self.random.uniform(0, self.ramp))  # people do not all arrive at once
        while not stop.is_set() and not sign_in(self.browser, self.person):
            stop.wait(5)
        works = {
            "counsellor": [(3, self.dashboard), (3, self.contacts), (4, self.new_contact)],
            "coordinator": [
                (2, self.dashboard),
                (2, self.contacts),
                (1, self.case_list),
                (3, self.case),
                (2, self.person_page),
                (1, self.board),
            ],
            "shelter_staff": [(2, self.dashboard), (5, self.board)],
        }[self.person.role]
        if not self.world.cases:  # a centre without cases yet (the fault test's)
            works = [(w, work) for w, work in works if work not in (self.case, self.person_page)]
        if self.minimal:
            works = [*works, (1, self.minimal_page)]
        weights, choices = zip(*works, strict=True)
        try:
            while not stop.is_set():
                self.random.choices(choices, weights)[0]()
                stop.wait(self.random.expovariate(1 / self.think))
        finally:
            self.browser.close()

    def get(self, kind: str, path: str) -> int:
        return self.browser.request(kind, path)[0]

    def dashboard(self) -> None:
        self.get("dashboard", "/")

    def contacts(self) -> None:
        page = self.random.choice(["", "", "", "?page=2", "?channel=phone", "?status=draft"])
        self.get("contact list", f"/helpline/{page}")

    def case_list(self) -> None:
        self.get("case list", "/cases/")

    def case(self) -> None:
        self.get("case page", f"/cases/{self.random.choice(self.world.cases)}/")

    def person_page(self) -> None:
        self.get("person page", f"/people/{self.random.choice(self.world.people)}/")

    def board(self) -> None:
        self.get("shelter board", "/shelter/")

    def minimal_page(self) -> None:
        self.get("minimal page", self.minimal)

    def new_contact(self) -> None:
        """The phone rings: a new contact, two autosaves while typing, then completed."""
        if self.get("contact list", "/helpline/") != 200:
            return
        status, location = self.browser.request(
            "contact: start",
            "/helpline/new/",
            {"csrfmiddlewaretoken": self.browser.token(), "channel": "phone"},
            expect=(302,),
        )
        found = CONTACT.match(location)
        if status != 302 or not found:
            return
        code = found[1]
        self.recorder.confirm("contact started", code)
        if self.get("contact: screen", location) != 200:
            return
        token = self.browser.token()
        started = STARTED.search(self.browser.page)
        form: dict[str, Any] = {
            "csrfmiddlewaretoken": token,
            "channel": "phone",
            "direction": "in",
            "urgency": "routine",
            "started_at": html.unescape(started[1]) if started else "",
            "caller_type": self.random.choice(["victim", "relative", "going_abroad"]),
            "summary": "Rozmówca pyta o",
        }
        for words in ("o pracę w Niemczech.", "Umówiono rozmowę z prawnikiem."):
            self.stop.wait(self.random.uniform(1, 3))  # typing (at the end: hurrying)
            form["summary"] += " " + words
            self.browser.request(
                "contact: autosave", f"{location}autosave/", form, htmx=True, expect=(200,)
            )
        form |= {"purposes": ["prevention"], "outcome": "advice", "complete": "1"}
        status, _ = self.browser.request("contact: complete", location, form, expect=(302,))
        if status == 302:
            self.recorder.confirm("contact completed", code)


INTERVENTION = re.compile(r"^/interventions/([0-9a-f-]{36})/$")


def open_emergency(browser: Browser) -> str:
    """A member of staff (signed in) opens an emergency intervention; its code, or ""."""
    if browser.request("intervention: form", "/interventions/new/")[0] != 200:
        return ""
    form = {
        "csrfmiddlewaretoken": browser.token(),
        "situation": "danger",
        "location": "Dworzec Centralny, peron 4",
        "description": "Dzwoniąca boi się wrócić do mieszkania pracodawcy.",
        "first_contact_at": "",
    }
    status, location = browser.request(
        "intervention: open", "/interventions/new/", form, expect=(302,)
    )
    found = INTERVENTION.match(location)
    if status != 302 or not found:
        return ""
    browser.recorder.confirm("intervention opened", found[1])
    return found[1]


def addresses() -> Iterator[str]:
    """127.1.0.1, 127.1.0.2, …: a loopback address of its own for every portal visitor."""
    number = 0
    while True:
        yield f"127.{1 + number // 64516 % 250}.{number // 254 % 254 + 1}.{number % 254 + 1}"
        number += 1


class Portal:
    """Portal visitors: ``rate`` submissions a second, alternately an anonymous message and
    a self-check sent to the centre, each from a new visitor (a new address, a new TLS
    connection, no cookies)."""

    def __init__(self, recorder: Recorder, port: int, context: ssl.SSLContext, rate: float) -> None:
        self.recorder, self.port, self.context, self.rate = recorder, port, context, rate
        self.addresses = addresses()
        self.lock = threading.Lock()
        self.count = 0

    def visitor(self) -> Browser:
        with self.lock:
            source = next(self.addresses)
            self.count += 1
        return Browser(self.recorder, "portal.localhost", self.port, self.context, source)

    def run(self, stop: threading.Event) -> None:
        with ThreadPoolExecutor(max_workers=int(self.rate * 8) + 4) as pool:
            beat = time.monotonic()
            number = 0
            while not stop.is_set():
                pool.submit(self.message if number % 2 == 0 else self.check)
                number += 1
                beat += 1 / self.rate
                stop.wait(max(0.0, beat - time.monotonic()))

    def message(self) -> None:
        visitor = self.visitor()
        if visitor.request("portal: message form", "/portal/pl/message/")[0] == 200:
            form = {
                "csrfmiddlewaretoken": visitor.token(),
                "text": "Dzień dobry, pracodawca zabrał mi paszport. Co mogę zrobić?",
            }
            self._receipt(visitor, "portal: message sent", "/portal/pl/message/", form)
        visitor.close()

    def check(self) -> None:
        visitor = self.visitor()
        if visitor.request("portal: self-check", "/portal/pl/check/")[0] == 200:
            flags = FLAG.findall(visitor.page)[:3]
            version = VERSION.search(visitor.page)
            answers = {"version": version[1] if version else "", "flag": flags}
            if visitor.request("portal: self-check", "/portal/pl/check/", answers)[0] == 200:
                form = answers | {"csrfmiddlewaretoken": visitor.token(), "note": ""}
                self._receipt(visitor, "portal: self-check sent", "/portal/pl/check/send/", form)
        visitor.close()

    def _receipt(self, visitor: Browser, kind: str, path: str, form: dict[str, Any]) -> None:
        if visitor.request(kind, path, form)[0] == 200:
            found = RECEIPT.search(visitor.page)
            if found:
                self.recorder.confirm("receipt", found[1].replace(" ", ""))
            else:
                self.recorder.failures.append(f"{kind}: 200 without a receipt")


def run(
    world: World,
    recorder: Recorder,
    port: int,
    context: ssl.SSLContext,
    *,
    seconds: float,
    think: float = 5.0,
    ramp: float = 30.0,
    portal_rate: float = 5.0,
    minimal: str = "",
    stop: threading.Event | None = None,
) -> None:
    """Everyone at work for ``seconds`` (or until ``stop`` is set); returns once all have
    finished what they were doing."""
    stop = stop or threading.Event()
    threads = [
        threading.Thread(
            target=Staff(
                person,
                world,
                recorder,
                port,
                context,
                think=think,
                ramp=ramp,
                minimal=minimal,
                seed=n,
            ).run,
            args=(stop,),
            daemon=True,
        )
        for n, person in enumerate(world.staff)
    ]
    portal = Portal(recorder, port, context, portal_rate)
    threads.append(threading.Thread(target=portal.run, args=(stop,), daemon=True))
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(TIMEOUT * 3)
