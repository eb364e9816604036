"""Check-ins abroad: what the person is sent, in their language, and how a reply is read.

The person's language is often neither of the staff's, so the messages are data here, one
text per language of the public portal, like the safety plan's sentences (a test checks
that every text has all five). A reply is read by its first word: OK, HELP or STOP — in
English or in the words each language's message names — or the code word agreed in the
safety plan anywhere in it, which means HELP. Anything else is not an answer and goes to
the helpline as an ordinary contact.

Messages go out through the SMS gateway of the 24/7 intervention (``notify.sms_post``,
signed, referenced by the check-in's code so that the gateway drops a repeat) or by e-mail,
with the reply token in the subject; replies come back through the helpline's SMS webhook
and mailbox (``ostoja.helpline.intake``).
"""

import re
import secrets
import unicodedata

from django.conf import settings
from django.core.mail import EmailMessage

from ostoja.interventions.notify import sms_post
from ostoja.prevention.models import CheckIn, CheckInSeries

TEXTS: dict[str, dict[str, str]] = {
    "check_in": {
        "pl": "KCIK: Jak się masz? Odpowiedz OK, jeśli wszystko w porządku, POMOC, jeśli nas "
        "potrzebujesz, STOP, aby zakończyć te wiadomości.",
        "en": "KCIK: How are you? Reply OK if all is well, HELP if you need us, STOP to end "
        "these messages.",
        "uk": "KCIK: Як ви? Відповідайте OK, якщо все гаразд, ДОПОМОГА, якщо ми вам потрібні, "
        "СТОП, щоб припинити ці повідомлення.",
        "ru": "KCIK: Как вы? Ответьте OK, если всё в порядке, ПОМОЩЬ, если мы вам нужны, СТОП, "
        "чтобы прекратить эти сообщения.",
        "vi": "KCIK: Bạn có khỏe không? Trả lời OK nếu mọi việc ổn, GIÚP nếu bạn cần chúng tôi, "
        "DỪNG để ngừng các tin nhắn này.",
    },
    "subject": {
        "pl": "Jak się masz?",
        "en": "How are you?",
        "uk": "Як ви?",
        "ru": "Как вы?",
        "vi": "Bạn có khỏe không?",
    },
    "stop_confirmation": {
        "pl": "KCIK: Nie będziemy już wysyłać tych wiadomości. Jeśli nas potrzebujesz, "
        "zadzwoń lub napisz w każdej chwili.",
        "en": "KCIK: We will send no more of these messages. If you need us, call or write "
        "at any time.",
        "uk": "KCIK: Ми більше не надсилатимемо цих повідомлень. Якщо ми вам потрібні, "
        "телефонуйте або пишіть будь-коли.",
        "ru": "KCIK: Мы больше не будем присылать эти сообщения. Если мы вам нужны, звоните "
        "или пишите в любое время.",
        "vi": "KCIK: Chúng tôi sẽ không gửi các tin nhắn này nữa. Nếu bạn cần chúng tôi, hãy "
        "gọi hoặc viết bất cứ lúc nào.",
    },
}

# The first word of a reply, upper-cased without accents, and what it answers.
KEYWORDS: dict[str, str] = {
    "OK": CheckIn.Status.OK,
    "OKAY": CheckIn.Status.OK,
    "HELP": CheckIn.Status.HELP,
    "POMOC": CheckIn.Status.HELP,
    "ДОПОМОГА": CheckIn.Status.HELP,
    "ПОМОЩЬ": CheckIn.Status.HELP,
    "GIUP": CheckIn.Status.HELP,
    "STOP": CheckIn.Status.STOP,
    "СТОП": CheckIn.Status.STOP,
    "DUNG": CheckIn.Status.STOP,
}
TOKEN = re.compile(r"\[CI-([A-Z2-9]{8})\]")
_TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105  # no 0/O, 1/I


def new_token() -> str:
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(8))


def _plain(text: str) -> str:
    """Upper case without diacritics (GIÚP → GIUP, DỪNG → DUNG); Cyrillic stays."""
    decomposed = unicodedata.normalize("NFKD", text.upper())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("Đ", "D")


def answer_of(text: str, code_word: str = "") -> str:
    """What a reply answers (a ``CheckIn.Status``: OK, HELP, STOP), or '' if it is no
    answer. Only the reply's own first line counts (an e-mail quotes the message below)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if code_word.strip() and _plain(code_word.strip()) in _plain(first):
        return CheckIn.Status.HELP
    words = re.findall(r"\w+", _plain(first))
    return KEYWORDS.get(words[0], "") if words else ""


def token_in(*texts: str) -> str:
    """The reply token an e-mail's subject or body carries, or ''."""
    for text in texts:
        found = TOKEN.search(text.upper())
        if found:
            return found.group(1)
    return ""


def message_text(check_in: CheckIn) -> str:
    key = "check_in" if check_in.kind == CheckIn.Kind.CHECK_IN else "stop_confirmation"
    return TEXTS[key][check_in.series.language]


def send(check_in: CheckIn) -> str:
    """Send one message on its series' channel; the provider's id of it. Raises if the
    gateway or the mail server refuses."""
    series: CheckInSeries = check_in.series
    text = message_text(check_in)
    if series.channel == CheckInSeries.Channel.SMS:
        return sms_post(series.phone, text, str(check_in.code))
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "ostoja.invalid"
    message_id = f"<{check_in.code}@{domain}>"
    subject = f"{TEXTS['subject'][series.language]} [CI-{check_in.token}]"
    EmailMessage(
        subject=subject,
        body=text,
        to=[series.email],
        reply_to=[settings.OSTOJA_PORTAL_EMAIL],
        headers={"Message-ID": message_id},
    ).send()
    return message_id
