"""`{% case_queue_counts user as counts %}` — the workspace's case counts, without the accounts
app having to know about cases; `{{ n|capped }}` shows a capped count as "10000+"
(liaison/core/counting.py)."""

from django import template

from liaison.cases import queues
from liaison.core.counting import capped_label

register = template.Library()


@register.simple_tag
def case_queue_counts(user) -> dict[str, int]:
    return queues.tab_counts(user)


@register.filter
def capped(count: int) -> str:
    return capped_label(count)
