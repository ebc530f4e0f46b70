from django import template

from liaison.core import forms

register = template.Library()


@register.simple_tag
def form_errors(form):
    """`{% form_errors form as errors %}`: each error named by its field (core/forms.py)."""
    return forms.form_errors(form) if form is not None else []


@register.simple_tag
def field_errors(bound_field):
    """`{% field_errors field as errors %}`: for a field whose errors show away from its label
    (a hidden field's)."""
    return forms.field_errors(bound_field)
