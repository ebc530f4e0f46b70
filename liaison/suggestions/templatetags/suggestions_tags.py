from django import template

from .. import exports, selectors

register = template.Library()


@register.simple_tag
def overdue(assignment, now) -> bool:
    return selectors.is_overdue(assignment, now)


@register.simple_tag
def lead_unit(suggestion) -> str:
    return exports.lead_unit(suggestion)
