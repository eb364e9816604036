"""Background work of the portal: none of its own. Abandoned anonymous reports are erased
by the retention job (``ostoja.privacy.retention``, with the DPO's period), which calls
``services.reports_abandoned_erase``'s parts."""
