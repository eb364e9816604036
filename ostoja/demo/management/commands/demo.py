"""``manage.py demo`` — a demo organisation modelled on the centre, with one user per role.

Idempotent: a second run finds what the first made and prints the same accounts. Never
real people: names are invented and e-mail addresses end in ``.invalid`` (RFC 2606).
Refuses to run in production.
"""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from ostoja.accounts.mfa import totp_enrol, totp_now
from ostoja.accounts.models import Membership, Organisation, User
from ostoja.accounts.roles import Capability, Role
from ostoja.cases.models import Case
from ostoja.demo import cases as cases_demo
from ostoja.demo import duty as duty_demo
from ostoja.demo import helpline as helpline_demo
from ostoja.demo import identification as identification_demo
from ostoja.demo import interventions as interventions_demo
from ostoja.demo import network as network_demo
from ostoja.demo import prevention as prevention_demo
from ostoja.demo import shelter as shelter_demo
from ostoja.duty.models import Shift
from ostoja.helpline.models import Contact
from ostoja.network.models import Partner
from ostoja.prevention.models import Counselling
from ostoja.shelter.models import Facility

DEMO_PASSWORD = "ostoja-demo-2026"  # noqa: S105  # printed for the demo on purpose
DEMO_DOMAIN = "demo.ostoja.invalid"
DEMO_STAFF = {
    Role.COUNSELLOR: "Anna Kowalczyk",
    Role.CASE_MANAGER: "Marta Wiśniewska",
    Role.SHELTER_STAFF: "Ewa Zielińska",
    Role.SPECIALIST: "Piotr Nowicki",
    Role.COORDINATOR: "Katarzyna Lewandowska",
    Role.ANALYST: "Tomasz Wójcik",
    Role.DPO: "Joanna Kamińska",
    Role.ADMINISTRATOR: "Paweł Dąbrowski",
}


def demo_email(role: Role) -> str:
    return f"{role.value.replace('_', '-')}@{DEMO_DOMAIN}"


def totp_secret(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return str(decrypt(authenticator.data["secret"]))


class Command(BaseCommand):
    help = "Create (or show) the demo organisation and one demo user per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--totp", metavar="EMAIL", help="print a demo user's current code")

    def handle(self, *args: Any, totp: str | None = None, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo is not for production.")
        if totp:
            user = User.objects.filter(email=totp.lower()).first()
            if user is None or not user.email.endswith(DEMO_DOMAIN):
                raise CommandError(f"No demo user {totp}")
            self.stdout.write(totp_now(totp_secret(user)))
            return
        with transaction.atomic():
            organisation = self._organisation()
            users = [self._user(organisation, role, name) for role, name in DEMO_STAFF.items()]
            if not Contact.objects.filter(organisation=organisation).exists():
                helpline = [u for u in users if u.can(Capability.LOG_CONTACTS)]
                made = helpline_demo.build(organisation, helpline, today=timezone.localdate())
                self.stdout.write(f"Demo helpline contacts: {made} over the last year.")
            if not Case.objects.filter(organisation=organisation).exists():
                staff = {Role(u.role): u for u in users if u.role}
                made = cases_demo.build(organisation, staff, today=timezone.localdate())
                self.stdout.write(f"Demo cases: {made}, at every stage.")
                decided = identification_demo.build(
                    organisation, staff[Role.CASE_MANAGER], today=timezone.localdate()
                )
                self.stdout.write(f"Demo identification decisions: {decided}.")
            if not Shift.objects.filter(organisation=organisation).exists():
                on_call = [u for u in users if u.can(Capability.LOG_CONTACTS)]
                coordinator = next(u for u in users if u.role == Role.COORDINATOR)
                shifts = duty_demo.build(organisation, on_call, coordinator)
                interventions_demo.build(organisation, on_call)
                self.stdout.write(f"Demo duty shifts: {shifts} in the next 30 days.")
            if not Partner.objects.filter(organisation=organisation).exists():
                callers = [u for u in users if u.can(Capability.LOG_CONTACTS)]
                keeper = next(u for u in users if u.role == Role.COORDINATOR)
                made = network_demo.build(
                    organisation, [keeper, *callers], today=timezone.localdate()
                )
                self.stdout.write(f"Demo partners: {made}, and a year of consultations.")
            if not Counselling.objects.filter(organisation=organisation).exists():
                counsellors = [u for u in users if u.role == Role.COUNSELLOR]
                keeper = next(u for u in users if u.role == Role.COORDINATOR)
                made = prevention_demo.build(
                    organisation, counsellors, keeper, today=timezone.localdate()
                )
                self.stdout.write(f"Demo pre-departure counselling: {made}, with check-ins.")

            if not Facility.objects.filter(organisation=organisation).exists():
                staff = {Role(u.role): u for u in users if u.role}
                stays = shelter_demo.build(organisation, staff, today=timezone.localdate())
                self.stdout.write(f"Demo shelter: {stays} stays over the last year.")
        self._print(users)

    def _organisation(self) -> Organisation:
        organisation, _ = Organisation.objects.get_or_create(
            short_code="KCIK",
            defaults={
                "name": "Krajowe Centrum Interwencyjno-Konsultacyjne (demo)",
            },
        )
        return organisation

    def _user(self, organisation: Organisation, role: Role, name: str) -> User:
        email = demo_email(role)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
            Membership.objects.create(user=user, organisation=organisation, role=role)
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            totp_enrol(user, generate_totp_secret())
        return user

    def _print(self, users: list[User]) -> None:
        out = self.stdout.write
        out("")
        out("Demo accounts (synthetic people; password for all: " + DEMO_PASSWORD + ")")
        out("Every account has two-factor authentication. Add the TOTP secret to an")
        out("authenticator app, or get the current code with: make totp EMAIL=<address>")
        out("")
        out(f"  {'role':<15} {'e-mail':<36} TOTP secret")
        for user in users:
            out(f"  {user.role or '':<15} {user.email:<36} {totp_secret(user)}")
        admin = users[-1]
        codes = RecoveryCodes(
            Authenticator.objects.get(user=admin, type=Authenticator.Type.RECOVERY_CODES)
        ).get_unused_codes()
        out("")
        out(f"Recovery codes of {admin.email}: {' '.join(codes[:3])} …")
        out("")
