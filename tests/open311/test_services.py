import pytest

from tests.factories import CategoryFactory

from .conftest import BASE, body


@pytest.fixture
def categories(district):
    CategoryFactory(code="lights", name="路灯", name_en="Street lights", sort_order=1)
    CategoryFactory(code="retired", name="旧分类", is_active=False)
    return district


def test_services_json_lists_active_categories(client, categories):
    data = body(client.get(f"{BASE}/services.json"), "json")
    assert [s["service_code"] for s in data] == ["lights", "roads"]
    lights = data[0]
    assert lights == {
        "service_code": "lights",
        "service_name": "路灯",
        "description": "Street lights",
        "metadata": False,
        "type": "realtime",
        "keywords": "路灯,Street lights,lights",
        "group": "Deputy liaison stations",
    }


def test_services_xml(client, categories):
    root = body(client.get(f"{BASE}/services.xml"), "xml")
    assert root.tag == "services"
    services = root.findall("service")
    assert [s.findtext("service_code") for s in services] == ["lights", "roads"]
    assert services[0].findtext("service_name") == "路灯"
    assert services[0].findtext("metadata") == "false"
    assert services[0].findtext("type") == "realtime"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definition(client, categories, fmt):
    response = client.get(f"{BASE}/services/lights.{fmt}")
    assert response.status_code == 200
    data = body(response, fmt)
    if fmt == "json":
        assert data == {"service_code": "lights", "attributes": []}
    else:
        assert data.tag == "service_definition"
        assert data.findtext("service_code") == "lights"
        assert list(data.find("attributes")) == []


@pytest.mark.parametrize("code", ["nothing", "retired"])
def test_unknown_or_inactive_service_is_a_404_json(client, categories, code):
    response = client.get(f"{BASE}/services/{code}.json")
    assert response.status_code == 404
    [error] = body(response, "json")
    assert error["code"] == 404 and code in error["description"]


def test_unknown_service_is_a_404_xml(client, categories):
    response = client.get(f"{BASE}/services/nothing.xml")
    assert response.status_code == 404
    root = body(response, "xml")
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert "nothing" in root.findtext("error/description")
