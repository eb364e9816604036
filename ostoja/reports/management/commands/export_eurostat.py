"""``manage.py export_eurostat``: Eurostat crim_thb tables (CSV files in DIR), small cells
suppressed (``ostoja.reports.exports``)."""

from ostoja.reports.exports.command import ExportCommand


class Command(ExportCommand):
    help = "Eurostat crim_thb tables (CSV files in DIR), small cells suppressed."
    kind = "eurostat"
    folder = True
