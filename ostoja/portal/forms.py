"""The portal's forms: validation only. Labels are the portal's own words (its catalogue)."""

import filetype
from django import forms
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.files import Upload
from ostoja.portal import documents, receipt
from ostoja.portal.images import MAX_BYTES, NotAPhoto, reencode

MAX_TEXT = 10_000
MAX_FILE = max(MAX_BYTES, documents.MAX_BYTES)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
        help_text=_("Write in any language. Do not write your name unless you want to."),
    )
    attachment = forms.FileField(
        label=_("A photo or a PDF document (optional)"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or PDF, up to 8 MB. We remove the location, the author and "
            "everything else stored in the file besides the picture or the pages."
        ),
    )

    def clean_attachment(self) -> Upload | None:
        """The file as it will be kept: a photo re-encoded, a PDF rebuilt without its
        metadata (its type told by its content, never by its name); never the sender's
        own file name."""
        upload = self.cleaned_data.get("attachment")
        if upload is None:
            return None
        data = upload.read(MAX_FILE + 1)
        try:
            if filetype.guess_mime(data) == "application/pdf":
                return Upload(documents.strip(data), "application/pdf", "pdf", "document.pdf")
            photo = reencode(data)
        except (NotAPhoto, documents.NotADocument) as error:
            raise forms.ValidationError(
                _(
                    "This file could not be taken: send a JPEG, PNG or WebP photo or a PDF "
                    "document up to 8 MB."
                )
            ) from error
        name = f"photo.{photo.extension}"
        return Upload(photo.content, photo.content_type, photo.extension, name)


class CheckSendForm(forms.Form):
    """Sending a self-check to the centre: the ticked flags travel as the check's own
    ``flag`` fields; the visitor may add a few words."""

    note = forms.CharField(
        label=_("Anything you want to add (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=_("Do not write your name unless you want to."),
    )


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = receipt.normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(_("A receipt code has 16 digits."))
        return code
