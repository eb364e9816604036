"""Demo data for ``make run`` (``manage.py demo``), kept out of the domain apps: a year of
helpline contacts, forty cases with their people and identification records, a duty roster
and two emergency interventions — all invented. The top layer (ARCHITECTURE.md §2): it may
use every app, and no app uses it."""
