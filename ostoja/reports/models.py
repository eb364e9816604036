from ostoja.reports.exports.models import ExportJob

__all__ = ["ExportJob"]
