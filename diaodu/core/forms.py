from django import forms

from diaodu.lib.text import clean_form_data


class CleanTextMixin:
    """Cleans the submitted text of characters XML and chat formats cannot carry (a Word
    line break, U+FFFE, ...) before any field sees it, so no document or chat post made from
    it later fails. Every form of Diaodu has it (a test checks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = clean_form_data(self.data)


class BootstrapMixin(CleanTextMixin):
    """Gives every widget its Bootstrap class, and marks invalid fields once bound."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)
            ):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
