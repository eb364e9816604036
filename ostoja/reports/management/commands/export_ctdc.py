"""``manage.py export_ctdc``: A CTDC-shaped anonymised victim-level CSV, small cells suppressed
(``ostoja.reports.exports``)."""

from ostoja.reports.exports.command import ExportCommand


class Command(ExportCommand):
    help = "A CTDC-shaped anonymised victim-level CSV, small cells suppressed."
    kind = "ctdc"
