"""Open311 GeoReport v2 bodies in JSON or XML, and the standard's error format.

The XML shapes follow the specification (http://wiki.open311.org/GeoReport_v2): a root element
holding one element per item (`services/service`, `service_requests/request`, `errors/error`);
a list inside an item is named by its plural with one child per entry (`formats/format`).
"""

import json
import xml.etree.ElementTree as ET

from django.http import HttpResponse

CONTENT_TYPES = {"json": "application/json", "xml": "text/xml; charset=utf-8"}
# The element for each entry of a nested list, by the list's name.
LIST_ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute"}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        for child in value:
            _fill(ET.SubElement(element, LIST_ITEMS.get(element.tag, "item")), child)
    elif value is not None:  # null is an empty element
        element.text = _text(value)


def to_xml(root: str, item: str | None, data) -> bytes:
    """`data` is a list of dicts (each becomes an `item` under `root`) or one dict (`root`)."""
    element = ET.Element(root)
    if item is None:
        _fill(element, data)
    else:
        for entry in data:
            _fill(ET.SubElement(element, item), entry)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, data, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(root, item, data)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """JSON [{"code": 400, "description": "…"}]; XML errors/error/(code, description)."""
    data = [{"code": status, "description": str(text)} for text in descriptions]
    return respond(fmt, data, root="errors", item="error", status=status)
