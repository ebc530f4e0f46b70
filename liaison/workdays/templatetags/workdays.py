from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The notices' names, for English pages; Chinese pages show the notice's own words.
ENGLISH_NAMES = {
    "元旦": _("New Year's Day"),
    "春节": _("Spring Festival"),
    "清明节": _("Qingming Festival"),
    "劳动节": _("Labour Day"),
    "端午节": _("Dragon Boat Festival"),
    "中秋节": _("Mid-Autumn Festival"),
    "国庆节": _("National Day"),
}


@register.filter
def holiday_name(name: str) -> str:
    if (get_language() or "").startswith("zh"):
        return name
    return ", ".join(str(ENGLISH_NAMES.get(part, part)) for part in name.split("、"))
