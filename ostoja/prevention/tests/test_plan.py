"""The safety plan: a PDF in the person's language — Ukrainian and Vietnamese included —
set in a font that has every one of its letters, downloaded by the helpline's staff only,
audited."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.pdf import render_pdf
from ostoja.prevention.models import Counselling, FlagCatalogue
from ostoja.prevention.plan import PLAN_LANGUAGES, TEXTS, plan_context
from ostoja.prevention.reference import PUBLIC_LANGUAGES
from ostoja.prevention.services import counselling_save
from ostoja.test import Persona, assert_access, force_sign_in

pytestmark = pytest.mark.django_db

PLANS = {
    "uk": {"consulate": "Консульство Польщі в Гаазі, +31 70 799 01 00", "code_word": "соняшник"},
    "vi": {"consulate": "Lãnh sự quán Ba Lan, Hà Nội", "code_word": "hoa hướng dương"},
}


def _record(persona: Persona, language: str) -> Counselling:
    return counselling_save(
        data={"country": "NL", "city": "Venlo", "plan_language": language, **PLANS[language]},
        flags=[],
        organisation=persona.user.organisation,
        catalogue=FlagCatalogue.current(),
        acting_user=persona.user,
    )


def test_every_text_is_in_every_language() -> None:
    assert {code for code, _name in PLAN_LANGUAGES} == set(PUBLIC_LANGUAGES)
    for key, texts in TEXTS.items():
        assert set(texts) == set(PUBLIC_LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key


@pytest.mark.parametrize("language", ["uk", "vi"])
def test_the_plan_renders_every_character(
    centre: dict[Role, Persona], language: str, caplog: pytest.LogCaptureFixture
) -> None:
    counselling = _record(centre[Role.COUNSELLOR], language)
    client = Client()
    force_sign_in(client, centre[Role.COUNSELLOR].user)
    response = client.get(f"/prevention/{counselling.code}/safety-plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"safety-plan-{language}.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    # WeasyPrint says when a letter has no glyph in any font (a .notdef box): never here.
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]
    html = render_to_string("prevention/safety_plan_pdf.html", plan_context(counselling, language))
    assert TEXTS["title"][language] in html and PLANS[language]["code_word"] in html


def test_the_check_sees_a_missing_glyph(caplog: pytest.LogCaptureFixture) -> None:
    """The control: a letter DejaVu Sans lacks is reported, so the check above can fail."""
    render_pdf('<html><body style="font-family: DejaVu Sans">Tiếng Việt 漢</body></html>')
    assert [r for r in caplog.records if "notdef" in r.getMessage() and "漢" in r.getMessage()]


def test_the_download_is_audited(centre: dict[Role, Persona]) -> None:
    counselling = _record(centre[Role.COUNSELLOR], "vi")
    client = Client()
    force_sign_in(client, centre[Role.COUNSELLOR].user)
    assert client.get(f"/prevention/{counselling.code}/safety-plan.pdf").status_code == 200
    entry = AuditEntry.objects.get(action="counselling.plan_exported")
    assert entry.target_code == str(counselling.code) and entry.data == {"lang": "vi"}


def test_only_the_helplines_staff_download_it(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    counselling = _record(centre[Role.COUNSELLOR], "uk")
    helpline = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR}
    path = f"/prevention/{counselling.code}/safety-plan.pdf"
    assert_access(path, centre, other_centre, allowed=helpline)


def test_without_a_language_the_plan_is_in_polish(centre: dict[Role, Persona]) -> None:
    counselling = counselling_save(
        data={},
        flags=[],
        organisation=centre[Role.COUNSELLOR].user.organisation,
        catalogue=FlagCatalogue.current(),
        acting_user=centre[Role.COUNSELLOR].user,
    )
    context = plan_context(counselling, counselling.plan_language or "pl")
    assert context["t"]["title"] == "Plan bezpieczeństwa" and context["emergency"] == "112"
