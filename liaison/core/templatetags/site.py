"""Tags of the page frame (base.html): a page's title serves both <title> and the link card that
WeChat and other apps show for a shared link (Open Graph), and such cards need absolute URLs."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The output is already escaped; runs of whitespace from the templates become one space.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: render once, use as {{ name }} as often as needed.
    Blocks inside it can be overridden as usual."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.filter
def absolute_url(path) -> str:
    """A path of this site ("/static/…", "/media/…") as an absolute URL from SITE_URL."""
    path = str(path)
    if path.startswith("/") and not path.startswith("//"):
        return settings.SITE_URL + path
    return path
