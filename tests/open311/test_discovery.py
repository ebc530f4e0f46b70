import pytest

from .conftest import BASE, body


def test_discovery_json_names_the_specification_and_formats(client, db):
    response = client.get(f"{BASE}/discovery.json")
    assert response.status_code == 200
    data = body(response, "json")
    assert data["changeset"] and data["contact"] and data["key_service"]
    [endpoint] = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}


def test_discovery_xml_has_the_same_content(client, db):
    root = body(client.get(f"{BASE}/discovery.xml"), "xml")
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("type") == "production"
    assert sorted(f.text for f in endpoint.findall("formats/format")) == [
        "application/json",
        "text/xml",
    ]


@pytest.mark.parametrize("path", ["discovery.html", "nothing.json", "services.yaml"])
def test_unknown_endpoint_or_format_is_a_404_in_the_error_format(client, db, path):
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 404
    [error] = body(response, "json")
    assert error["code"] == 404 and error["description"]
