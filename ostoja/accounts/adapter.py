"""How django-allauth behaves in Ostoja: staff accounts are made by administrators only."""

import base64
from typing import ClassVar

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from ostoja.lib.crypto.aead import Place, open_sealed, seal


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # No self-registration: an administrator invites each member of staff.
        return False


class MfaAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """TOTP secrets are sealed like any field (``ostoja.lib.crypto``): a database dump
    alone does not let anyone generate a user's codes."""

    PLACE: ClassVar[Place] = {
        "table": "mfa_authenticator",
        "column": "secret",
        "row": "totp",
    }

    def encrypt(self, text: str) -> str:
        return base64.b64encode(seal(text.encode("utf-8"), **self.PLACE)).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        return open_sealed(base64.b64decode(encrypted_text), **self.PLACE).decode("utf-8")

    def get_totp_label(self, user: AbstractBaseUser) -> str:
        # The label shows in the authenticator app on a phone that may be seen by others:
        # the e-mail address alone, no organisation name.
        return str(user.get_username())
