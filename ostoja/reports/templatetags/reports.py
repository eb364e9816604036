from typing import Any

from django import template
from django.utils.safestring import SafeString

from ostoja.reports.charts import bar_chart

register = template.Library()


@register.simple_tag
def chart(table: Any) -> SafeString:
    """The bar chart of a table (a figure's, or a dashboard's panel): ``charts.bar_chart``."""
    return bar_chart(table.rows, table.title)
