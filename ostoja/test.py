"""Shared test personas and helpers (STYLE.md: built once, used by every app's tests).

The centre ("KCIK") has one member of staff per role; a second centre ("OTHER") has an
administrator and a coordinator who must never see anything of the first.
"""

import re
import time
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ostoja.accounts.mfa import totp_enrol, totp_now
from ostoja.accounts.models import Membership, Organisation, User
from ostoja.accounts.roles import Role

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "correct horse battery staple"


@dataclass
class Persona:
    user: User
    totp_secret: str | None

    @property
    def email(self) -> str:
        return self.user.email

    def code(self, at: float | None = None) -> str:
        assert self.totp_secret is not None
        return totp_now(self.totp_secret, at)


def make_organisation(short_code: str = "KCIK", name: str = "Centrum testowe") -> Organisation:
    return Organisation.objects.create(short_code=short_code, name=name)


def make_user(
    organisation: Organisation | None,
    role: Role | None,
    *,
    email: str | None = None,
    mfa: bool = True,
    full_name: str = "",
) -> Persona:
    """A member of staff with ``PASSWORD`` and, unless ``mfa=False``, an authenticator app."""
    prefix = role.value if role else "nobody"
    org = organisation.short_code.lower() if organisation else "none"
    email = email or f"{prefix}.{org}@staff.test"
    user = User.objects.create_user(
        email=email, password=PASSWORD, full_name=full_name or f"{prefix.title()} {org.upper()}"
    )
    if organisation is not None and role is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    secret = generate_totp_secret() if mfa else None
    if secret:
        totp_enrol(user, secret)
    return Persona(user=user, totp_secret=secret)


def sign_in(client: Client, persona: Persona) -> None:
    """Sign in as a user would: password, then the current TOTP code."""
    response = client.post("/accounts/login/", {"login": persona.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith("/accounts/2fa/authenticate/"), response["Location"]
    response = client.post("/accounts/2fa/authenticate/", {"code": persona.code()})
    assert response.status_code == 302, response.content[:500]


def force_sign_in(client: Client, user: User) -> None:
    """A signed-in session without the sign-in pages, in sudo mode (as right after a real
    sign-in): for tests about what happens after the door, not the door itself."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "mfa", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def text(response: HttpResponseBase) -> str:
    return bytes(getattr(response, "content", b"")).decode()


# Public paths: the health check, the readiness check (from the server itself only), the
# language switch, and the signed webhooks of the telephony provider and the SMS gateway
# (which check their own signatures).
PUBLIC_PATHS = (
    "/health/",
    "/ready/",
    "/i18n/setlang/",
    "/helpline/telephony/events/",
    "/helpline/telephony/twilio/voice/",
    "/helpline/telephony/twilio/fallback/",
    "/helpline/telephony/twilio/status/",
    "/helpline/telephony/twilio/agent/",
    "/interventions/hooks/sms-status/",
)


def staff_paths() -> list[str]:
    """A concrete path for every URL of Ostoja's own apps (sample codes in the place of
    parameters), except the public health check and language switch, and the public
    portal."""
    sample = {
        "code": "00000000-0000-4000-8000-000000000000",
        "version": "1",
        "action": "end-sessions",
        "target_type": "accounts.user",
        "section": "note",
        "kind": "case",  # a kind of record of the retention schedules
    }
    paths: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", "")
                # The public portal is no staff page (ostoja/portal/tests test it).
                if module.startswith("ostoja.") and module != "ostoja.portal.urls":
                    walk(pattern.url_patterns, route)
            else:
                route = re.sub(r"<\w+:(\w+)>", lambda m: sample[m.group(1)], route)
                paths.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return [p for p in paths if p not in PUBLIC_PATHS]


def assert_access(
    path: str,
    centre: "dict[Role, Persona]",
    other_centre: "dict[Role, Persona]",
    *,
    allowed: set[Role],
    method: str = "get",
    data: dict[str, str] | None = None,
    outsider_status: int | None = 404,
) -> None:
    """The access contract of one view (STYLE.md: every view has it): each role of the
    centre in ``allowed`` gets through, every other role is refused with 403 or 404, and a
    member of another centre with an allowed role gets ``outsider_status`` — 404 for a
    record, as if it did not exist (``None`` for pages that show each centre its own
    data)."""
    for role, persona in centre.items():
        client = Client()
        force_sign_in(client, persona.user)
        status = getattr(client, method)(path, data or {}).status_code
        if role in allowed:
            assert status not in (403, 404), f"{role} refused ({status}) at {method} {path}"
        else:
            assert status in (403, 404), f"{role} let through ({status}) at {method} {path}"
    for role, persona in other_centre.items() if outsider_status is not None else ():
        client = Client()
        force_sign_in(client, persona.user)
        status = getattr(client, method)(path, data or {}).status_code
        expected = {outsider_status} if role in allowed else {403, 404}
        assert status in expected, f"outsider {role}: {status} at {method} {path}"


def browser_sign_in(
    page: "Page", base_url: str, persona: Persona, *, password: str = PASSWORD
) -> None:
    """Sign in through the real pages of a browser (Polish labels)."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Adres e-mail").fill(persona.email)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj się").click()
    page.get_by_label("Kod").fill(persona.code())
    page.get_by_label("Kod").press("Enter")
    page.wait_for_url(f"{base_url}/")


def open_top_menu(page: "Page") -> None:
    """Unfold the phone-sized top bar's menu and wait until it has finished unfolding (a
    click during Bootstrap's collapse animation can miss the menu's buttons)."""
    page.get_by_role("button", name="Pokaż lub ukryj menu").click()
    page.wait_for_selector("#topbar.show:not(.collapsing)")


def open_user_menu(page: "Page") -> None:
    """Open the user's menu in the top bar (sessions, two-factor, sign out)."""
    open_top_menu(page)
    page.get_by_test_id("user-menu").click()
    page.wait_for_selector("[data-testid=user-menu] + .dropdown-menu.show")


@cache
def axe_script() -> str:
    """axe-core as the PyPI package axe-playwright-python ships it (no CDN, no copy here)."""
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


# Run in the page: the serious and critical violations, each with its elements' selectors.
# axe only reads the page (no scrolling, no change to the DOM), so it may run between a
# test's steps without getting in their way.
_AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => [v.id, v.impact, n.target.join(" "), v.help]));
}"""
# What Playwright says when the page navigated or closed while axe ran: the page that was
# being checked is gone (the next one is checked when it loads).
_GONE = re.compile(
    r"context was destroyed|navigat|has been closed|detached|Cannot find context", re.I
)


class Axe:
    """axe-core in a browser test's page: ``check()`` runs it on the page as it is now and
    keeps the serious and critical violations; with ``on_load=True`` every page the test
    loads is checked when it has loaded. (Not after each htmx swap: a test answering a
    hundred questions would run axe a hundred times on a long page. What htmx swaps in is
    checked as the test leaves the page, and on every staff page with its sections open in
    ``demo/tests/test_accessibility.py``.)

    axe is injected with ``page.evaluate`` — the DevTools protocol, which a page's CSP does
    not govern — so the strict CSP stays exactly as in production (no ``bypass_csp``, no
    inline script, nothing for the page to allow). Only HTML documents are checked: not a
    downloaded file, nor an htmx fragment opened on its own."""

    def __init__(self, page: "Page", *, on_load: bool = False) -> None:
        self.page = page
        self.found: dict[tuple[str, str, str], str] = {}  # (rule, target, url) -> impact, help
        self.checked: list[str] = []
        self.errors: list[str] = []
        self._running = False
        self._again = False
        if on_load:
            page.on("load", lambda _: self.check())

    def check(self) -> None:
        """Check the page now; asked while a check runs (a page loaded meanwhile), check
        again when it ends. Called from an event handler it never raises: what goes wrong is
        kept in ``errors``, for the test to report."""
        from playwright.sync_api import Error

        self._again = True
        if self._running:
            return
        self._running = True
        try:
            while self._again:
                self._again = False
                try:
                    self._check()
                except Error as error:
                    if not _GONE.search(str(error)):
                        self.errors.append(f"{self.page.url}: {error}")
        finally:
            self._running = False

    def _check(self) -> None:
        url = self.page.url
        document = "document.doctype !== null && document.contentType === 'text/html'"
        if not self.page.evaluate(document):
            return
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(axe_script())
        found: list[list[str]] = self.page.evaluate(_AXE_RUN)
        self.checked.append(url)
        for rule, impact, target, help_text in found:
            self.found[(rule, target, url)] = f"{impact}: {help_text}"

    def report(self) -> str:
        """The violations, one a line: rule, impact, the element's selector, the page."""
        lines = [
            f"{rule} ({what}) at {target} on {url}"
            for (rule, target, url), what in sorted(self.found.items())
        ]
        return "\n".join(lines + [f"axe could not run: {error}" for error in self.errors])
