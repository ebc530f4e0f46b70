"""`{% case_queue_counts user as counts %}` — the workspace's case counts, without the accounts
app having to know about cases."""

from django import template

from liaison.cases import queues

register = template.Library()


@register.simple_tag
def case_queue_counts(user) -> dict[str, int]:
    return queues.tab_counts(user)
