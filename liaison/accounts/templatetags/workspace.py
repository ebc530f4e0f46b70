"""`{% staff_nav as links %}` — the top navigation of the signed-in account's role (base.html)."""

from django import template

from liaison.accounts.workspace import nav_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_nav(context) -> list:
    # Error pages may render without a request user: no staff links then.
    request = context.get("request")
    return nav_for(context.get("user"), request.path if request is not None else "")
