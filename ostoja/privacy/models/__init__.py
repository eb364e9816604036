"""The data protection officer's records (``ostoja.privacy``): the subject-rights requests
(``requests``)."""

from ostoja.privacy.models.requests import SubjectRequest

__all__ = ["SubjectRequest"]
