"""Second factors: whether a user has one, and enrolling a known one (demo, tests)."""

import base64
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP as AllauthTOTP
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

# Factors that count as a second factor on their own; recovery codes only back them up.
PRIMARY_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_mfa(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` has enrolled an authenticator app or a security key/passkey."""
    if not user.is_authenticated:
        return False
    # Asked by the middleware and the page shell in the same request: ask the database once.
    cached: bool | None = getattr(user, "_ostoja_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(user_id=user.pk, type__in=PRIMARY_TYPES).exists()
        setattr(user, "_ostoja_has_mfa", cached)  # noqa: B010  # a per-request memo
    return cached


# Set in the session once the user is known to have a second factor: a factor is not lost
# mid-session but by removing it (``receivers.factor_removed`` clears this) or by an
# administrator's reset (which ends every session of the user).
MFA_CONFIRMED = "ostoja.mfa"


def mfa_confirmed(request: HttpRequest) -> bool:
    """Whether the signed-in user has a second factor; asked of the database once a
    session, not on every request."""
    if request.session.get(MFA_CONFIRMED) == request.user.pk:
        return True
    if has_mfa(request.user):
        request.session[MFA_CONFIRMED] = request.user.pk
        return True
    return False


def totp_enrol(user: AbstractBaseUser, secret: str) -> list[str]:
    """Give ``user`` an authenticator app with a known base32 ``secret`` and recovery codes;
    returns the recovery codes."""
    AllauthTOTP.activate(user, secret)
    codes: list[str] = RecoveryCodes.activate(user).get_unused_codes()
    return codes


def totp_now(secret: str, at: float | None = None) -> str:
    """The code an authenticator app with ``secret`` shows at ``at`` (now by default)."""
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    # SHA-1 is what RFC 6238 and every authenticator app use for TOTP.
    totp = TOTP(key, 6, SHA1(), 30, enforce_key_length=False)  # noqa: S303
    return totp.generate(time.time() if at is None else at).decode("ascii")
