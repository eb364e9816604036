"""Template helpers for the shell: Bootstrap classes on form widgets."""

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

from ostoja.lib.iso import country_name, language_name

register = template.Library()


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    """Render ``field``'s widget with the Bootstrap class its kind needs, and
    ``is-invalid`` when it has errors (Django adds ``aria-invalid`` itself)."""
    kind = field.field.widget
    if isinstance(kind, forms.CheckboxInput | forms.RadioSelect):
        css = "form-check-input"
    elif isinstance(kind, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = kind.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.simple_tag
def hidden_initial(field: BoundField) -> SafeString:
    """The value ``field`` was opened with, for a form that knows what its user changed
    (optimistic locking, ostoja.lib.locking); nothing for other forms."""
    if not field.field.show_hidden_initial:
        return SafeString("")
    return SafeString(field.as_hidden(only_initial=True))


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def get_label(form: forms.Form, name: str) -> str:
    """The label of ``form``'s field ``name`` (for error lists outside the form)."""
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else name


@register.filter
def label(labels: dict[str, str], value: str) -> str:
    """``labels[value]``, or the value itself: the display name of a choice from a table
    built once per page (``get_FOO_display`` per row translates every choice again)."""
    return labels.get(value, value)


@register.filter
def countries(codes: list[str] | str) -> str:
    """ISO 3166 code(s) as country names in the user's language."""
    if isinstance(codes, str):
        codes = [codes] if codes else []
    return ", ".join(country_name(code) for code in codes or [])


@register.filter
def languages(codes: list[str] | str) -> str:
    """ISO 639-3 code(s) as language names in the user's language."""
    if isinstance(codes, str):
        codes = [codes] if codes else []
    return ", ".join(language_name(code) for code in codes)


@register.filter
def is_choice_list(field: BoundField) -> bool:
    """Checkboxes or radio buttons, one per choice: rendered one ``form-check`` each."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
