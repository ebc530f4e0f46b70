"""The annual 述职报告 as PDF: figures, the matters (publishable cases only: title, status — never
a tracking number, the citizen's name or phone), selected results; read back with pdftotext as a
printer would."""

from datetime import date

import pytest
from django.urls import reverse

from liaison.cases.models import Case

from ..directory.test_signs import Pdf
from .conftest import local

pytestmark = pytest.mark.django_db


def test_the_annual_report_as_pdf(client, accounts, district, doings, tmp_path):
    dep = district.dep_a
    case = doings.response(
        dep, local(2026, 3, 1, 10), title="楼道灯坏了", citizen_name="陈女士", public_consent=True
    )
    Case.objects.filter(pk=case.pk).update(status="closed", rating="satisfied")
    doings.activity(local(2026, 4, 1, 9), attended=[dep], title="约您共话停车难")
    doings.entry(dep, date(2026, 5, 1), title="视察滨河路修复工程")
    doings.entry(dep, date(2026, 5, 2), title="没确认的调研", status="pending")
    doings.visit(dep, date(2026, 5, 3))
    client.force_login(accounts.deputy_a)
    response = client.get(reverse("records:report", args=[dep.pk]), {"year": 2026})
    pdf = Pdf(response, tmp_path)
    # Every font embedded (docs/signs.md): digits and text readable without Adobe's CJK pack.
    pdf.assert_fonts_embedded()
    text = pdf.text().replace("\n", "")
    assert dep.name in text and "2026" in text
    assert "楼道灯坏了" in text and case.tracking_number not in text
    assert "约您共话停车难" in text and "视察滨河路修复工程" in text
    assert "没确认的调研" not in text
    for private in ("陈女士", "13912345678", "赵大爷", "13911112222"):
        assert private not in text


def test_only_publishable_cases_are_listed(client, accounts, district, doings, tmp_path):
    dep, at = district.dep_a, local(2026, 3, 1, 10)
    public = doings.response(dep, at, title="可公开的事", public_consent=True)
    secret = doings.response(dep, at, title="保密的事", public_consent=True, confidential=True)
    unconsented = doings.response(dep, at, title="未同意公开的事")
    client.force_login(accounts.deputy_a)
    response = client.get(reverse("records:report", args=[dep.pk]), {"year": 2026})
    text = Pdf(response, tmp_path).text().replace("\n", "")
    assert "可公开的事" in text
    assert "保密的事" not in text and "未同意公开的事" not in text
    for case in (public, secret, unconsented):
        assert case.tracking_number not in text


def test_staff_of_another_station_get_no_report(client, accounts, district):
    client.force_login(accounts.station_b_staff)
    url = reverse("records:report", args=[district.dep_a.pk])
    assert client.get(url, {"year": 2026}).status_code == 404
    client.force_login(accounts.station_a_staff)
    assert client.get(url, {"year": "1900"}).status_code == 400
