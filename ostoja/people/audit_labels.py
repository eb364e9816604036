"""The actions the people app writes to the audit trail, in words
(``ostoja.audit.actions``). Other apps write some of them too (a person shown on a case's
form is ``person.viewed``): the action is the people's, whoever writes it."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "people",
    {
        "person.listed": _("List of people viewed"),
        "person.viewed": _("Person viewed"),
        "person.matched": _("People matched to a name"),
        "person.created": _("Person registered"),
        "person.updated": _("Person changed"),
        "person.related": _("Relation between people added"),
        "person.unrelated": _("Relation between people removed"),
        "person.merged": _("Duplicate merged into this person"),
        "person.merged_away": _("Person merged into another record"),
    },
    reads={"person.listed", "person.viewed", "person.matched"},
)
