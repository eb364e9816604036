"""KRAZ, the register of employment agencies: the import command over the register's CSV,
and the lookup by number or name over HTTP."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.prevention.kraz import agencies_matching, kraz_import
from ostoja.prevention.models import Agency
from ostoja.test import Persona, force_sign_in, text

pytestmark = pytest.mark.django_db

EXPORT = (
    "Lp.;Numer wpisu;Nazwa agencji;Adres;Miejscowość;NIP\n"
    "1;1234;„Praca Plus” Sp. z o.o.;ul. Długa 1;Łódź;7251234567\n"
    "2;5678;Agencja Pracy Tymczasowej  WIATRAK;ul. Krótka 2;Poznań;7770001122\n"
    "3;;Bez numeru;;;\n"
)


def test_the_command_imports_and_updates(tmp_path: Path) -> None:
    path = tmp_path / "kraz.csv"
    path.write_bytes(EXPORT.encode("cp1250"))
    call_command("kraz_import", str(path))
    assert Agency.objects.count() == 2
    agency = Agency.objects.get(number="1234")
    assert (agency.name, agency.city, agency.tax_number) == (
        "„Praca Plus” Sp. z o.o.",
        "Łódź",
        "7251234567",
    )
    # The next export (comma-separated, UTF-8) renames one and adds one; nothing is lost.
    path.write_text(
        "Nr wpisu,Nazwa,Miasto\n1234,Praca Plus Polska,Łódź\n9999,Nowa,Gdańsk\n", encoding="utf-8"
    )
    result = kraz_import(path.read_bytes())
    assert (result.created, result.updated, result.skipped) == (1, 1, 0)
    assert Agency.objects.get(number="1234").name == "Praca Plus Polska"
    assert Agency.objects.count() == 3


def test_a_file_that_is_not_the_register_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Imię;Nazwisko\nJan;Kowalski\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no register number or no name"):
        call_command("kraz_import", str(path))
    with pytest.raises(CommandError):
        call_command("kraz_import", str(tmp_path / "missing.csv"))
    assert not Agency.objects.exists()


def test_lookup_by_number_or_name(centre: dict[Role, Persona]) -> None:
    kraz_import(EXPORT.encode())
    assert [a.number for a in agencies_matching("5678")] == ["5678"]
    assert [a.number for a in agencies_matching("tymczasowej wiatrak")] == ["5678"]
    assert [a.number for a in agencies_matching("PRACA PLUS")] == ["1234"]
    assert not agencies_matching("  ").exists()
    client = Client()
    force_sign_in(client, centre[Role.COUNSELLOR].user)
    body = text(client.get("/prevention/agencies/", {"q": "wiatrak"}))
    assert "Agencja Pracy Tymczasowej  WIATRAK" in body and "5678" in body
    missing = text(client.get("/prevention/agencies/", {"q": "Krzak"}))
    assert "Nie ma w rejestrze." in missing
