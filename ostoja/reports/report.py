"""The annual report for the ministry, for any period: every figure of ``figures``, section by
section, as an HTML page, a PDF (WeasyPrint, the charts drawn in) and an XLSX workbook (one
sheet per table, numbers as numbers). A section whose figures found nothing says "no data"."""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ostoja.accounts.models import Organisation
from ostoja.cases.pdf import render_pdf
from ostoja.reports.figures import SECTIONS, Period, Table, section_figures


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]

    @property
    def empty(self) -> bool:
        return all(table.empty for table in self.tables)


@dataclass
class Report:
    organisation: Organisation
    period: Period
    sections: list[Section]

    @property
    def figure_keys(self) -> list[str]:
        return [t.figure.key for s in self.sections for t in s.tables]

    def table(self, key: str) -> Table:
        return next(t for s in self.sections for t in s.tables if t.figure.key == key)


def build(
    organisation: Organisation,
    period: Period,
    progress: Callable[[int], None] = lambda _percent: None,
) -> Report:
    """Every figure for the period, in the report's order; ``progress`` hears how far it
    is (per cent of the sections) as each section is done."""
    sections = []
    for n, (key, title) in enumerate(SECTIONS.items(), start=1):
        tables = [f(organisation, period) for f in section_figures(key)]
        sections.append(Section(key, str(title), tables))
        progress(100 * n // len(SECTIONS))
    return Report(organisation, period, sections)


def title(report: Report) -> str:
    return _("Report on the centre's work, %(start)s – %(end)s") % {
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
    }


def pdf(report: Report) -> bytes:
    html = render_to_string(
        "reports/annual_pdf.html",
        {"report": report, "title": title(report), "generated_at": timezone.localtime()},
    )
    return render_pdf(html)


def xlsx(report: Report) -> bytes:
    """A workbook: a title sheet, then one sheet per table, named by the figure's key."""
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet(_("Report")[:31])
    sheet.append([title(report)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([str(report.organisation)])
    sheet.append([_("Prepared"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    sheet.append([_("Sheet"), _("Table"), _("Section")])
    for section in report.sections:
        for table in section.tables:
            sheet.append([table.figure.key, str(table.figure.title), section.title])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 70
    for section in report.sections:
        for table in section.tables:
            figure = table.figure
            ws = book.create_sheet(figure.key[:31])
            ws.append([str(figure.title)])
            ws["A1"].font = Font(bold=True)
            ws.append([_("What counts"), str(figure.counts)])
            ws.append([_("Period by"), str(figure.date)])
            ws.append([_("Counted twice?"), str(figure.once)])
            ws.append([])
            ws.append([_("Category"), str(figure.unit)])
            for cell in ws[6]:
                cell.font = Font(bold=True)
            for row in table.rows:
                ws.append([row.label, row.value])
            ws.append([_("Total"), table.total])
            ws.cell(ws.max_row, 1).font = Font(bold=True)
            ws.column_dimensions["A"].width = 50
            ws.column_dimensions["B"].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
