"""The figures' definitions: each runs on any period, and an empty centre has no data."""

import datetime as dt

import pytest

from ostoja.accounts.roles import Role
from ostoja.reports.figures import FIGURES, SECTIONS, Period
from ostoja.test import Persona


def test_every_figure_is_named_and_in_a_section() -> None:
    for figure in FIGURES.values():
        assert figure.section in SECTIONS
        assert all(str(text) for text in (figure.title, figure.counts, figure.date, figure.once))


def test_an_empty_centre_has_no_data(centre: dict[Role, Persona]) -> None:
    organisation = centre[Role.ANALYST].user.organisation
    assert organisation is not None
    for figure in FIGURES.values():
        table = figure(organisation, Period.year(2025))
        assert table.empty, figure.key


def test_a_period_ends_after_it_starts() -> None:
    with pytest.raises(ValueError):
        Period(dt.date(2025, 2, 1), dt.date(2025, 1, 31))
    assert Period.year(2024).days == 366
