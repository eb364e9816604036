"""How django-allauth behaves in Ostoja: staff accounts are made by administrators only."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # No self-registration: an administrator invites each member of staff.
        return False


class MfaAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def get_totp_label(self, user: AbstractBaseUser) -> str:
        # The label shows in the authenticator app on a phone that may be seen by others:
        # the e-mail address alone, no organisation name.
        return str(user.get_username())
