"""The official exports (issue #18): Eurostat ``crim_thb`` tables, a CTDC-shaped
anonymised victim-level CSV and HTCDS v2.0 case records, each with small-cell suppression
(``suppression``), from one read-only selector of the people assisted (``victims``)."""
