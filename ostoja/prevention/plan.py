"""The safety plan handed to someone going abroad (a PDF, WeasyPrint, nothing fetched): the
destination's emergency number, the Polish consulate (chosen from the partner directory,
else as typed, else the directory's only one in the destination country), the centre's
numbers, what to keep copies of, the code word — in the person's language.

The person's language is often neither of the staff's, so the plan's sentences are data
here, one text per language of the public portal, like the red-flag checklist's questions
(a test checks that every text has all five); the PDF is built in DejaVu Sans, which has
every Cyrillic and Vietnamese letter."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from ostoja.accounts.models import Organisation
from ostoja.cases.pdf import render_pdf
from ostoja.lib.iso import country_name
from ostoja.network.models import Partner
from ostoja.network.vocabulary import PartnerKind
from ostoja.prevention.models import PERSON_LANGUAGES, Counselling

PLAN_LANGUAGES = PERSON_LANGUAGES
DEFAULT_EMERGENCY = "112"

TEXTS: dict[str, dict[str, str]] = {
    "title": {
        "pl": "Plan bezpieczeństwa",
        "en": "Safety plan",
        "uk": "План безпеки",
        "ru": "План безопасности",
        "vi": "Kế hoạch an toàn",
    },
    "destination": {
        "pl": "Cel wyjazdu",
        "en": "Destination",
        "uk": "Місце призначення",
        "ru": "Место назначения",
        "vi": "Nơi đến",
    },
    "emergency": {
        "pl": "Numer alarmowy na miejscu",
        "en": "Emergency number there",
        "uk": "Номер екстреної служби на місці",
        "ru": "Номер экстренной службы на месте",
        "vi": "Số khẩn cấp tại nơi đến",
    },
    "consulate": {
        "pl": "Polski konsulat",
        "en": "Polish consulate",
        "uk": "Консульство Польщі",
        "ru": "Консульство Польши",
        "vi": "Lãnh sự quán Ba Lan",
    },
    "centre": {
        "pl": "Nasze numery (KCIK)",
        "en": "Our numbers (KCIK)",
        "uk": "Наші номери (KCIK)",
        "ru": "Наши номера (KCIK)",
        "vi": "Số điện thoại của chúng tôi (KCIK)",
    },
    "copies": {
        "pl": "Zrób kopie i trzymaj je osobno od oryginałów: paszport lub dowód, wiza lub "
        "zezwolenie na pracę, umowa, dane pracodawcy i adres pracy, bilet powrotny.",
        "en": "Make copies and keep them apart from the originals: passport or ID, visa or "
        "work permit, contract, the employer's details and the work address, return ticket.",
        "uk": "Зробіть копії й зберігайте їх окремо від оригіналів: паспорт або посвідчення "
        "особи, віза або дозвіл на роботу, договір, дані роботодавця й адреса роботи, "
        "квиток додому.",
        "ru": "Сделайте копии и храните их отдельно от оригиналов: паспорт или удостоверение "
        "личности, виза или разрешение на работу, договор, данные работодателя и адрес "
        "работы, обратный билет.",
        "vi": "Hãy sao chụp và giữ riêng với bản gốc: hộ chiếu hoặc giấy tờ tùy thân, thị "
        "thực hoặc giấy phép lao động, hợp đồng, thông tin người sử dụng lao động và địa "
        "chỉ nơi làm việc, vé khứ hồi.",
    },
    "code_word": {
        "pl": "Hasło: jeśli je powiesz lub napiszesz, wiemy, że potrzebujesz pomocy",
        "en": "Code word: if you say or write it, we know you need help",
        "uk": "Кодове слово: якщо ви його скажете чи напишете, ми знатимемо, що вам потрібна "
        "допомога",
        "ru": "Кодовое слово: если вы его скажете или напишете, мы поймём, что вам нужна помощь",
        "vi": "Mật khẩu: nếu bạn nói hoặc viết nó, chúng tôi biết bạn cần giúp đỡ",
    },
    "keep": {
        "pl": "Schowaj ten plan w bezpiecznym miejscu.",
        "en": "Keep this plan somewhere safe.",
        "uk": "Сховайте цей план у безпечному місці.",
        "ru": "Спрячьте этот план в безопасном месте.",
        "vi": "Hãy cất kế hoạch này ở nơi an toàn.",
    },
}


def consulates_of(organisation: Organisation) -> QuerySet[Partner]:
    """The consulates and embassies of the organisation's partner directory."""
    return Partner.objects.filter(organisation=organisation, kind=PartnerKind.CONSULATE)


def plan_consulate(counselling: Counselling) -> Partner | None:
    """The consulate of the directory the plan names: the one the counsellor chose; if they
    chose none and typed none, the directory's only consulate in the destination country
    (named in the plan, never written into the record)."""
    if counselling.consulate_partner is not None or counselling.consulate:
        return counselling.consulate_partner
    if counselling.country in ("", "PL"):
        return None
    there = consulates_of(counselling.organisation).filter(
        country=counselling.country, archived_at__isnull=True
    )
    found = list(there[:2])
    return found[0] if len(found) == 1 else None


def consulate_text(counselling: Counselling) -> str:
    """The consulate the plan names (``plan_consulate``: its name, address, phone and
    e-mail), else what the counsellor typed."""
    partner = plan_consulate(counselling)
    if partner is None:
        return str(counselling.consulate)
    town = " ".join(x for x in (partner.postal_code, partner.city) if x)
    lines = (partner.name, partner.address, town, partner.phone, partner.email)
    return "\n".join(line for line in lines if line)


def plan_context(counselling: Counselling, language: str) -> dict[str, Any]:
    texts = {key: value[language] for key, value in TEXTS.items()}
    where = ", ".join(x for x in (counselling.city, country_name(counselling.country)) if x)
    return {
        "lang": language,
        "t": texts,
        "where": where,
        "emergency": counselling.emergency_number or DEFAULT_EMERGENCY,
        "consulate": consulate_text(counselling),
        "code_word": counselling.code_word,
        "phones": settings.OSTOJA_PORTAL_PHONES,
        "email": settings.OSTOJA_PORTAL_EMAIL,
        "date": timezone.localdate(),
    }


def safety_plan(counselling: Counselling) -> tuple[bytes, str]:
    """The plan as a PDF, in the language chosen on the record (Polish if none), and the
    language it is in."""
    language = counselling.plan_language or "pl"
    html = render_to_string("prevention/safety_plan_pdf.html", plan_context(counselling, language))
    return render_pdf(html), language
