"""Helpers for the reception tests: the registration form as the page posts it."""

NEW = "/staff/receptions/new/"


def signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def matter(district, title="路灯不亮", **overrides):
    fields = {
        "category": district.category.pk,
        "title": title,
        "description": f"{title}，请代表关注。",
        "proposed_handling": "交办",
    }
    fields.update(overrides)
    return fields


def visit_form(district, matters=None, **overrides):
    """POST data of the registration form with `matters` (a list of dicts) as formset rows."""
    matters = matters if matters is not None else [matter(district)]
    data = {
        "station": district.station_a.pk,
        "received_on": "2025-09-22",
        "visitor_name": "陈女士",
        "visitor_phone": "13912345678",
        "visitor_address": "保俶路12号",
        "deputies": [district.dep_a.pk, district.dep_shared.pk],
        "privacy_accepted": "on",
        "matters-TOTAL_FORMS": str(len(matters)),
        "matters-INITIAL_FORMS": "0",
        "matters-MIN_NUM_FORMS": "1",
        "matters-MAX_NUM_FORMS": "10",
    }
    for i, row in enumerate(matters):
        for key, value in row.items():
            data[f"matters-{i}-{key}"] = value
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
