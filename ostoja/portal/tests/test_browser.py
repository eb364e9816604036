"""The portal in the browser (Debian's chromium), as its visitors use it: with JavaScript
off (Tor Browser's safest level, an old phone) — the job-offer self-check in Vietnamese,
and an anonymous report in Ukrainian with a photo that a counsellor answers from the
helpline and the visitor reads with the receipt code — and, with JavaScript on, the quick
exit (the button, Shift three times) leaving no page of the portal to go back to. Then
axe-core on every portal page in the five languages.

axe-core cannot run where JavaScript is off (its checks wait on the page's timers): each
page the JS-off visitor saw is checked as it was — the same address, the same HTML — in
a context with JavaScript."""

import io
import re
from collections.abc import Callable, Iterator

import pytest
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from playwright.sync_api import Browser, Error, Page, Route, ViewportSize, expect
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.helpline.models import Contact
from ostoja.lib.crypto.files import EncryptedStorage
from ostoja.portal.languages import LANGUAGES
from ostoja.portal.models import Report
from ostoja.portal.tests.test_pages import PATHS
from ostoja.prevention.models import FlagCatalogue
from ostoja.test import Axe, Persona, browser_sign_in, open_top_menu

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("red_flags"),
]

SMALL_PHONE: ViewportSize = {"width": 360, "height": 740}


class Visitor:
    """A browser context with JavaScript off, and the pages it loaded (address, HTML)."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context(
            java_script_enabled=False, viewport=SMALL_PHONE, reduced_motion="reduce"
        )
        self.page = self.context.new_page()
        self.seen: list[tuple[str, str]] = []
        self.requested: list[str] = []
        self.errors: list[str] = []
        self.page.on("load", lambda _: self._keep())
        self.page.on("request", lambda request: self.requested.append(request.url))

    def _keep(self) -> None:
        try:
            self.seen.append((self.page.url, self.page.content()))
        except Error as error:  # navigated on meanwhile: that page is kept when it loads
            self.errors.append(str(error))


def serving(html: str) -> Callable[[Route], None]:
    """A route handler that answers with ``html``."""
    return lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")


def axe_as_seen(browser: Browser, seen: list[tuple[str, str]]) -> Axe:
    """axe-core on each page as the JS-off visitor saw it: at its own address (its styles
    load from the server), its HTML served again as it was, in a context with JavaScript."""
    context = browser.new_context(viewport=SMALL_PHONE, reduced_motion="reduce")
    page = context.new_page()
    axe = Axe(page)
    for url, html in seen:
        if not url.startswith("http"):
            continue

        page.route(url, serving(html))
        page.goto(url)
        axe.check()
        page.unroute(url)
    context.close()
    return axe


@pytest.fixture
def visitor(browser: Browser, live_server: object, audit_flushable: None) -> Iterator[Page]:
    """A visitor's page with JavaScript off: nothing requested from another host, and no
    serious or critical axe-core finding on any page it saw."""
    expect.set_options(timeout=15_000)
    seen = Visitor(browser)
    yield seen.page
    seen.context.close()
    base = str(live_server)
    assert [url for url in seen.requested if not url.startswith(base)] == []
    assert len(seen.seen) > len(seen.errors), seen.errors
    axe = axe_as_seen(browser, seen.seen)
    assert not axe.found and not axe.errors, "axe-core:\n" + axe.report()
    assert axe.checked, "axe-core checked no page"


def words(lang: str, text: str) -> str:
    """``text`` as the portal says it in ``lang`` (its own catalogue)."""
    with translation.override(lang):
        return gettext(text)


def test_the_self_check_in_vietnamese_without_javascript(
    visitor: Page, live_server: object, centre: dict[Role, Persona]
) -> None:
    base = str(live_server)
    catalogue = FlagCatalogue.current()
    assert catalogue is not None
    passport, fee = (
        catalogue.flags.get(code="passport-kept"),
        catalogue.flags.get(code="fee-in-advance"),
    )
    visitor.goto(f"{base}/portal/")
    visitor.get_by_role("link", name="Tiếng Việt").click()
    visitor.get_by_role("link", name=words("vi", "Check a job offer")).click()
    expect(visitor.get_by_role("heading", name=words("vi", "Check a job offer"))).to_be_visible()
    visitor.get_by_label(passport.question["vi"]).check()
    visitor.get_by_label(fee.question["vi"]).check()
    visitor.get_by_role("button", name=words("vi", "See the result")).click()
    result = visitor.get_by_test_id("result")
    serious = "Serious warning signs. This offer may be a trap: do not go before you talk to us."
    expect(result).to_contain_text(words("vi", serious))
    expect(result).to_contain_text(passport.advice["vi"])
    expect(result).to_contain_text(fee.advice["vi"])
    # The answers stay ticked, at the same address; nothing was stored.
    expect(visitor.get_by_label(passport.question["vi"])).to_be_checked()
    assert visitor.url == f"{base}/portal/vi/check/"
    assert not Contact.objects.exists() and not Report.objects.exists()
    # The visitor chooses to send them: a receipt code, and the helpline's triage has them.
    visitor.get_by_label(words("vi", "Anything you want to add (optional)")).fill(
        "Họ giữ hộ chiếu ở văn phòng."
    )
    visitor.get_by_role("button", name=words("vi", "Send my answers")).click()
    expect(visitor.get_by_test_id("receipt")).to_have_text(re.compile(r"^\d{4}( \d{4}){3}$"))
    report = Report.objects.get()
    assert sorted(report.answers) == ["fee-in-advance", "passport-kept"]
    assert report.first.summary.endswith("Họ giữ hộ chiếu ở văn phòng.")


def _photo_with_location() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (52.0, 13.0, 45.0), 3: "E", 4: (21.0, 0.0, 30.0)}
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (20, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_an_anonymous_report_in_ukrainian_answered_by_the_helpline(
    visitor: Page, page: Page, live_server: object, centre: dict[Role, Persona]
) -> None:
    base = str(live_server)
    uk = "uk"
    message = "Нас тримають на фермі під Гданськом, паспорти забрали. Допоможіть."
    # The visitor writes, JavaScript off, with a photo that knows where it was taken.
    visitor.goto(f"{base}/portal/uk/")
    visitor.get_by_role("navigation", name=words(uk, "Pages")).get_by_role(
        "link", name=words(uk, "Write to us")
    ).click()
    visitor.get_by_label(words(uk, "Your message")).fill(message)
    visitor.get_by_label(words(uk, "A photo or a PDF document (optional)")).set_input_files(
        {"name": "IMG_20261205.jpg", "mimeType": "image/jpeg", "buffer": _photo_with_location()}
    )
    visitor.get_by_role("button", name=words(uk, "Send"), exact=True).click()
    expect(visitor.get_by_role("heading", name=words(uk, "Your message was sent"))).to_be_visible()
    code = visitor.get_by_test_id("receipt").inner_text().strip()
    assert re.fullmatch(r"\d{4}( \d{4}){3}", code)
    contact = Report.objects.get().first
    assert contact.status == "draft" and contact.counsellor is None
    attachment = contact.attachments.get()
    with EncryptedStorage().open(attachment.stored_name) as stored:
        assert b"CameraMaker" not in stored.read()

    # A counsellor (JavaScript on) finds it by the code and answers from the contact.
    browser_sign_in(page, base, centre[Role.COUNSELLOR])
    open_top_menu(page)
    search = page.get_by_role("searchbox")
    search.fill(code)
    search.press("Enter")
    page.locator(f"a[href='/helpline/{contact.code}/']").click()
    expect(page.get_by_text(message)).to_be_visible()
    answer = "Ми вам допоможемо. Зателефонуйте нам, будь ласка: 22 628 01 20."
    page.get_by_role("textbox", name="Odpowiedź", exact=True).fill(answer)
    page.get_by_role("button", name="Wyślij odpowiedź").click()
    expect(page.get_by_text("Odpowiedź wysłana.")).to_be_visible()

    # The visitor comes back with the code, reads the answer and writes again.
    visitor.goto(f"{base}/portal/uk/message/")
    visitor.get_by_label(words(uk, "Your receipt code")).fill(code)
    visitor.get_by_role("button", name=words(uk, "Read the answers")).click()
    thread = visitor.get_by_test_id("thread")
    expect(thread).to_contain_text(message)
    expect(thread).to_contain_text(answer)
    expect(thread).to_contain_text(words(uk, "The centre"))
    visitor.get_by_label(words(uk, "Your message")).fill("Дякую. Нас тут восьмеро.")
    visitor.get_by_role("button", name=words(uk, "Send"), exact=True).click()
    expect(visitor.get_by_text(words(uk, "Your message was sent."))).to_be_visible()
    expect(visitor.get_by_test_id("thread")).to_contain_text("Нас тут восьмеро.")
    added = Contact.objects.get(in_reply_to=contact, direction="in")
    assert added.status == "draft" and added.summary == "Дякую. Нас тут восьмеро."


@pytest.mark.parametrize("how", ["button", "shift"])
def test_quick_exit_leaves_no_portal_page_to_go_back_to(
    page: Page, live_server: object, settings: Settings, how: str
) -> None:
    base = str(live_server)
    # The neutral site, played by a page of this test's URLs (no request leaves the machine).
    settings.ROOT_URLCONF = "ostoja.portal.tests.urls"
    neutral, start = f"{base}/neutral/", f"{base}/before/"
    settings.OSTOJA_PORTAL_EXIT_URL = neutral
    page.goto(start)  # where the visitor was before the portal
    page.goto(f"{base}/portal/uk/info/")
    expect(page.get_by_role("link", name=re.compile(words("uk", "Exit this page")))).to_be_visible()
    length = page.evaluate("history.length")
    if how == "button":
        page.get_by_role("link", name=re.compile(words("uk", "Exit this page"))).click()
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(neutral)
    expect(page.get_by_role("heading", name="Weather in Warsaw")).to_be_visible()
    # The portal's page was replaced, not left behind: going back skips it.
    assert page.evaluate("history.length") == length
    page.go_back()
    page.wait_for_url(start)
    assert "/portal/" not in page.url


def test_shift_pressed_slowly_does_not_leave(page: Page, live_server: object) -> None:
    """Three presses within 5 s leave; more than 5 s apart they start counting again."""
    base = str(live_server)
    page.goto(f"{base}/portal/en/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    expect(page.locator("#exit-status")).to_have_text("2/3")
    page.wait_for_timeout(5_500)
    page.keyboard.press("Shift")
    expect(page.locator("#exit-status")).to_have_text("1/3")
    assert page.url == f"{base}/portal/en/"


# Every portal page in every language, with the pages a form leads to and the error pages.
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_axe_on_every_portal_page(
    page: Page, visitor: Page, live_server: object, centre: dict[Role, Persona], lang: str
) -> None:
    base = str(live_server)
    for path in PATHS:
        if path == "/portal/" or path.startswith(f"/portal/{lang}/"):
            page.goto(base + path)  # the page fixture runs axe-core on every page loaded
    # A result with advice and the form to send it, then the receipt.
    page.goto(f"{base}/portal/{lang}/check/")
    page.locator("input[name=flag]").first.check()
    page.locator("form[action$='/check/'] button[type=submit]").click()
    expect(page.get_by_test_id("result")).to_be_visible()
    page.locator("form[action$='/check/send/'] button[type=submit]").click()
    expect(page.get_by_test_id("receipt")).to_be_visible()
    # Pages answered with an error status (the console would report them with JavaScript
    # on): a form's errors, a wrong code, the portal's 404 — checked as seen (``visitor``).
    visitor.goto(f"{base}/portal/{lang}/message/")
    visitor.locator("form[action$='/message/'] button[type=submit]").click()
    expect(visitor.locator(".error").first).to_be_visible()
    visitor.locator("input[name=code]").fill("1234")
    visitor.locator("form[action$='/open/'] button[type=submit]").click()
    expect(visitor.locator("[role=alert]").first).to_be_visible()
    visitor.goto(f"{base}/portal/{lang}/nowhere/")
    expect(visitor.get_by_role("heading", level=1)).to_be_visible()
