"""Benchmark of the helpline (issue #4): with 1,000,000 synthetic contacts, saving a
contact (the service, audit entry included) and opening the filtered contact list (the
view, in process) — p50/p95 server time, single user.

Run against PostgreSQL (it migrates the database it is given and fills it once):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ostoja_bench make bench-helpline
``BENCH_CONTACTS`` changes the size (default 1,000,000).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")

import django

django.setup()

from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from ostoja.accounts.mfa import totp_enrol
from ostoja.accounts.models import Membership, Organisation, User
from ostoja.accounts.roles import Role
from ostoja.demo import helpline as demo
from ostoja.helpline.models import Contact
from ostoja.helpline.services import contact_save, contact_start

TARGET = int(os.environ.get("BENCH_CONTACTS", "1000000"))
PER_YEAR = 9105


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def fill() -> tuple[Organisation, User]:
    organisation, _ = Organisation.objects.get_or_create(
        short_code="BENCH", defaults={"name": "Bench"}
    )
    user = User.objects.filter(email="bench@bench.invalid").first()
    if user is None:
        user = User.objects.create_user(email="bench@bench.invalid", full_name="Bench")
        Membership.objects.create(user=user, organisation=organisation, role=Role.COORDINATOR)
        totp_enrol(user, generate_totp_secret())  # staff pages need a second factor
    have = Contact.objects.filter(organisation=organisation).count()
    seed = 1
    while have < TARGET:
        scale = max(1, min(10, (TARGET - have) // PER_YEAR))
        began = time.perf_counter()
        have += demo.build(organisation, [user], today=timezone.localdate(), seed=seed, scale=scale)
        seed += 1
        print(f"  {have} contacts ({time.perf_counter() - began:.0f} s for the last batch)")
    return organisation, user


def main() -> None:
    call_command("migrate", verbosity=0)
    organisation, user = fill()
    count = Contact.objects.filter(organisation=organisation).count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    saves = []
    for n in range(200):
        contact = contact_start(organisation=organisation, acting_user=user)
        began = time.perf_counter()
        contact_save(
            contact=contact,
            acting_user=user,
            complete=n % 2 == 0,
            data={
                "caller_number": f"+48 600 {n:03d} 000",
                "caller_type": "victim",
                "purposes": ["information", "legal"],
                "languages": ["pol", "ukr"],
                "summary": "Rozmowa o ofercie pracy. " * 10,
            },
        )
        saves.append((time.perf_counter() - began) * 1000)

    client = Client()
    client.force_login(user)
    # Server time: the request through Django's handler (every middleware, the view, the
    # template), as a WSGI server would call it, without the test client's own work.
    handler = WSGIHandler()
    factory = RequestFactory(HTTP_HOST="127.0.0.1")
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    week_ago = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    queries = [
        {},
        {"caller_type": "police"},
        {"purpose": "prevention"},
        {"language": "ukr"},
        {"since": week_ago},
        {"channel": "sms", "urgency": "emergency"},
        {"purpose": "intervention", "page": "3"},
    ]
    for query in queries:  # warm-up: first use of each filter compiles templates and plans
        request = factory.get("/helpline/", query)
        request.COOKIES[settings.SESSION_COOKIE_NAME] = session_cookie
        handler.get_response(request)
    lists = []
    for n in range(350):
        request = factory.get("/helpline/", queries[n % len(queries)])
        request.COOKIES[settings.SESSION_COOKIE_NAME] = session_cookie
        began = time.perf_counter()
        response = handler.get_response(request)
        lists.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    print(f"{count} contacts on {connection.vendor}:")
    print(
        f"  save a contact (service + audit): p50 {statistics.median(saves):.1f} ms, "
        f"p95 {p95(saves):.1f} ms"
    )
    print(
        f"  filtered contact list (view, 50 rows): p50 {statistics.median(lists):.1f} ms, "
        f"p95 {p95(lists):.1f} ms"
    )


if __name__ == "__main__":
    main()
