"""How a form's errors are named for a person: each error with the name of its field, a form's
own errors (non-field) without one.

A label is often a question ("What happened?", in Chinese "发生了什么？"); put before a
colon it read "发生了什么？:" (issue 16). The name of a field is its label without the
closing question mark or colon, and every field has a label of its own
(tests/core/test_form_errors.py checks every form), so no error is named by a bare "?" or
by Django's English fallback for a field name.
"""

from dataclasses import dataclass

from django.utils.translation import gettext

TRAILING = " \u3000?？:："


def field_name(bound_field) -> str:
    """The field's label as a name: "Where?" → "Where", "您的手机号：" → "您的手机号"."""
    return str(bound_field.label or "").rstrip(TRAILING)


@dataclass(frozen=True)
class FormError:
    message: str
    field: str = ""  # the field's name as shown; empty for an error of the whole form
    anchor: str = ""  # the id of the field's input, to jump to it

    @property
    def text(self) -> str:
        if not self.field:
            return self.message
        return gettext("%(field)s: %(error)s") % {"field": self.field, "error": self.message}


def field_errors(bound_field) -> list[FormError]:
    name = field_name(bound_field)
    return [FormError(str(message), name, bound_field.auto_id) for message in bound_field.errors]


def form_errors(form) -> list[FormError]:
    """The form's errors in the order of the page: the form's own first, then each field's."""
    found = [FormError(str(message)) for message in form.non_field_errors()]
    for bound_field in form:  # hidden fields too: their errors must not vanish
        found.extend(field_errors(bound_field))
    return found
