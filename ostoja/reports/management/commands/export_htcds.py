"""``manage.py export_htcds``: HTCDS v2.0 case records (CSV), small cells suppressed
(``ostoja.reports.exports``)."""

from ostoja.reports.exports.command import ExportCommand


class Command(ExportCommand):
    help = "HTCDS v2.0 case records (CSV), small cells suppressed."
    kind = "htcds"
