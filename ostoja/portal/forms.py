"""The portal's forms: validation only. Labels are the portal's own words (its catalogue)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ostoja.portal import receipt
from ostoja.portal.images import NotAPhoto, Photo, reencode

MAX_TEXT = 10_000


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
        help_text=_("Write in any language. Do not write your name unless you want to."),
    )
    photo = forms.FileField(
        label=_("A photo (optional)"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP, up to 8 MB. We remove the location and everything else "
            "stored in the photo besides the picture."
        ),
    )

    def clean_photo(self) -> Photo | None:
        upload = self.cleaned_data.get("photo")
        if upload is None:
            return None
        try:
            return reencode(upload.read(8 * 2**20 + 1))
        except NotAPhoto as error:
            raise forms.ValidationError(
                _("This file could not be taken: send a JPEG, PNG or WebP photo up to 8 MB.")
            ) from error


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
