"""Benchmark of the top bar's search (issue #14): with 1,000,000 contacts
(``bench/helpline.py``'s) and 100,000 people (``bench/namegen.py``'s, planted duplicates
included) in one organisation, the server time of a search as a coordinator — the POST
through every middleware, the view, its audit entry and the template — for case numbers
(``BENCH/2026/0007``, ``7/2026``), phone numbers callers used (a regular caller's number
finds hundreds of contacts) and names (another script, romanisation, typos, word order).

Target (issue #14): p95 <= 100 ms server time. The machine is shared, so the minimal
signed-in page (``bench/urls.py``) is timed right before each search, and the ratio is
printed too. Run against PostgreSQL (it migrates the database and fills it once; the fill
takes a while the first time):

    make bench-search   # DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/ostoja_bench
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ostoja_bench")

from django.conf import settings  # noqa: E402

from bench import helpline, people  # noqa: E402  (each sets Django up)
from bench.namegen import Generator  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"  # Ostoja's URLs and the minimal page to compare with

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

from ostoja.accounts.models import Organisation, User  # noqa: E402
from ostoja.cases.models import Case  # noqa: E402
from ostoja.cases.services import case_open  # noqa: E402
from ostoja.helpline.models import Contact  # noqa: E402
from ostoja.people.models import Person  # noqa: E402
from ostoja.test import force_sign_in  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
SEARCHES = 100  # of each kind
CASES = 60


def cases(organisation: Organisation, user: User, pks: list[int]) -> list[Case]:
    """The organisation's cases, ``CASES`` of them opened once with a person each."""
    have = list(Case.objects.filter(organisation=organisation).order_by("pk"))
    for pk in pks[len(have) : CASES]:
        have.append(
            case_open(
                organisation=organisation,
                clients=[Person.objects.get(pk=pk)],
                manager=user,
                data={"summary": "", "referred_by": "self"},
                acting_user=user,
            )
        )
    return have


def phone_numbers(organisation: Organisation) -> list[str]:
    """Numbers callers used: every 50th contact with a number, as a counsellor would type
    it (spaces, no plus sign for a Polish one)."""
    found: list[str] = []
    for contact in (
        Contact.objects.filter(organisation=organisation)
        .exclude(caller_number_index=None)
        .order_by("pk")[: SEARCHES * 50 : 50]
    ):
        number = contact.caller_number
        found.append(number.removeprefix("+48 ") if len(found) % 2 else number)
    return found


def main() -> None:
    call_command("migrate", verbosity=0)
    organisation, user = helpline.fill()
    population = Generator(seed=14).population(PEOPLE, duplicates=SEARCHES)
    _organisation, pks = people.fill(population, organisation)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    opened = cases(organisation, user, pks)
    searches = {
        "case number": [
            case.reference if n % 2 else f"{case.number}/{case.year}"
            for n, case in enumerate(opened * (SEARCHES // len(opened) + 1))
        ][:SEARCHES],
        "phone number": phone_numbers(organisation),
        "name": [duplicate.spec.name for duplicate in population.duplicates[:SEARCHES]],
    }
    client = Client()
    force_sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    handler = WSGIHandler()
    factory = RequestFactory(HTTP_HOST="127.0.0.1")

    def timed(path: str, query: str | None = None) -> tuple[float, bytes]:
        if query is None:
            request = factory.get(path)
        else:
            request = factory.post(path, {"q": query})
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]  # as the test client does
        request.COOKIES[settings.SESSION_COOKIE_NAME] = cookie
        began = time.perf_counter()
        response = handler.get_response(request)
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, (path, query, response.status_code)
        return elapsed, bytes(getattr(response, "content", b""))

    for queries in searches.values():  # warm-up: templates compiled, plans cached
        for query in queries[:5]:
            timed("/bench/minimal/")
            timed("/search/", query)
    contacts = Contact.objects.filter(organisation=organisation).count()
    found = Person.objects.filter(organisation=organisation).count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{contacts} contacts, {found} people on {connection.vendor} (load {load}):")
    every, minimal = [], []
    for kind, queries in searches.items():
        times, empty = [], 0
        for query in queries:
            minimal.append(timed("/bench/minimal/")[0])  # right before, under the same load
            elapsed, content = timed("/search/", query)
            times.append(elapsed)
            empty += b'data-testid="search-group"' not in content
        every += times
        print(
            f"  {kind:<12} p50 {statistics.median(times):.1f} ms, "
            f"p95 {helpline.p95(times):.1f} ms, max {max(times):.1f} ms "
            f"({len(times)} searches, {empty} found nothing)"
        )
    p95s = helpline.p95(every), helpline.p95(minimal)
    print(
        f"  all          p50 {statistics.median(every):.1f} ms, p95 {p95s[0]:.1f} ms "
        f"(target <= 100 ms); minimal page p50 {statistics.median(minimal):.1f} ms, "
        f"p95 {p95s[1]:.1f} ms; search / minimal p95 ×{p95s[0] / p95s[1]:.1f}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
