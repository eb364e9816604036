"""The privacy app's records: each part in its own module (the DPO's records:
``records``)."""

from ostoja.privacy.models.records import Breach, DpiaEntry

__all__ = ["Breach", "DpiaEntry"]
