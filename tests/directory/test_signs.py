"""Printable public signs (公示牌): one A4 page per deputy with the sign's data and a printed QR
code that still scans after rendering; a station's staff print all their signs at once."""

import io
import re
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.directory import services, signs
from liaison.directory.models import DeputyLevel

from ..factories import DeputyFactory, StationFactory
from ..tools import decode_qr, run

SITE = "https://liaison.example.cn"
MM = 72 / 25.4
CJK_FONTS = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


class Pdf:
    """A PDF response examined with poppler-utils, as a printer or a reader would see it."""

    def __init__(self, response, tmp_path: Path):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        self.dir = Path(tempfile.mkdtemp(dir=tmp_path))
        self.path = self.dir / "sign.pdf"
        self.path.write_bytes(response.content)

    @property
    def pages(self) -> int:
        return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(self.path)), re.M)[1])

    def text(self, page: int | None = None) -> str:
        pages = ["-f", str(page), "-l", str(page)] if page else []
        # STSong-Light writes U+30FB for the middle dot of names (阿卜杜·艾则孜).
        return run("pdftotext", *pages, str(self.path), "-").replace("\u30fb", "·")

    def scanned_urls(self) -> list[str]:
        """Render every page at 150 dpi, as a print would be, and decode the QR codes found."""
        run("pdftoppm", "-r", "150", "-png", str(self.path), str(self.dir / "page"))
        return [url for png in sorted(self.dir.glob("page-*.png")) for url in decode_qr(png)]

    def fonts(self) -> str:
        return run("pdffonts", str(self.path))

    def unembedded_fonts(self) -> list[str]:
        """pdffonts' rows whose "emb" column says no (the columns after the name and type are
        encoding, emb, sub, uni, object and generation: count from the right)."""
        rows = self.fonts().splitlines()[2:]
        return [row for row in rows if row.split()[-5] != "yes"]

    def assert_fonts_embedded(self) -> None:
        assert self.fonts().splitlines()[2:], "no font at all"
        assert self.unembedded_fonts() == []


def _url(deputy) -> str:
    return f"{SITE}/d/{deputy.public_code}/"


@pytest.mark.django_db
def test_deputy_sign_has_the_sign_data_and_a_code_that_scans(client, district, tmp_path):
    deputy = district.dep_a
    deputy.public_phone, deputy.constituency = "0571-87001234", "北山街道第三选区"
    deputy.contact_blocks = "保俶社区第5区块\n保俶社区第6区块"
    deputy.public_code = "wmwmwmwm"  # the widest code: its URL must still print on one line
    deputy.save()

    pdf = Pdf(client.get(f"/d/{deputy.public_code}/sign.pdf"), tmp_path)
    assert pdf.pages == 1
    text = pdf.text()
    for expected in [
        "张明华",
        "0571-87001234",
        "北山街道第三选区",
        "保俶社区第5区块",
        "保俶社区第6区块",
        "北山街道人大代表联络站",
        "第十七届",
        _url(deputy).removeprefix("https://"),  # printed for typing: browsers add https://
    ]:
        assert expected in text
    assert pdf.scanned_urls() == [_url(deputy)]


@pytest.mark.django_db
def test_sign_is_printed_in_chinese_whatever_the_visitors_language(client, district, tmp_path):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    deputy = district.dep_a
    assert "County / district" in client.get(deputy.get_absolute_url()).content.decode()

    text = Pdf(client.get(f"/d/{deputy.public_code}/sign.pdf"), tmp_path).text()
    assert "县（区）人大代表" in text
    assert "County / district" not in text


@pytest.mark.django_db
def test_very_long_fields_wrap_or_shrink_inside_the_page(client, district, tmp_path):
    deputy = district.dep_a
    deputy.name = "阿卜杜热合曼·艾则孜·买买提明·吐尔逊托合提"
    deputy.level = DeputyLevel.NATIONAL
    deputy.constituency = "雨湖区第六选区（万楼社区、桃源路社区、湘竹村、护潭村联合选区）" * 6
    deputy.contact_blocks = "\n".join(
        f"万楼社区第{n}号区块（万楼新城小区{n}栋）" for n in range(80)
    )
    deputy.occupation = "Chief engineer of the Xiangtan municipal water supply company " * 3
    deputy.save()
    for n in range(6):
        deputy.stations.add(StationFactory(name=f"雨湖区万楼街道第{n}社区人大代表联络室"))

    pdf = Pdf(client.get(f"/d/{deputy.public_code}/sign.pdf"), tmp_path)
    assert pdf.pages == 1
    text = pdf.text()
    assert deputy.name in text.replace("\n", "")
    assert "万楼社区第0号区块" in text
    assert "…" in text  # what did not fit even at the smallest size is cut, visibly
    assert pdf.scanned_urls() == [_url(deputy)]

    # Every word lies inside the sign's red frame (7 mm from the paper's edge).
    bbox = run("pdftotext", "-bbox", str(pdf.path), "-")
    width, height = map(
        float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', bbox).groups()
    )
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox)
    assert len(words) > 20
    for x_min, y_min, x_max, y_max in (map(float, word) for word in words):
        frame = 7 * MM
        assert frame <= x_min < x_max <= width - frame
        assert frame <= y_min < y_max <= height - frame


def _jpeg() -> bytes:
    image = Image.new("RGB", (600, 800), "#3a6ea5")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


@pytest.mark.django_db
def test_sign_prints_the_photo_and_survives_a_lost_photo_file(client, district, accounts, tmp_path):
    deputy = district.dep_a
    upload = SimpleUploadedFile("photo.jpg", _jpeg(), content_type="image/jpeg")
    services.set_deputy_photo(deputy, upload, actor=accounts.administrator)
    pdf = Pdf(client.get(f"/d/{deputy.public_code}/sign.pdf"), tmp_path)
    assert "jpeg" in run("pdfimages", "-list", str(pdf.path))

    deputy.photo.storage.delete(deputy.photo.name)
    pdf = Pdf(client.get(f"/d/{deputy.public_code}/sign.pdf"), tmp_path)
    assert "jpeg" not in run("pdfimages", "-list", str(pdf.path))  # the placeholder is drawn
    assert pdf.scanned_urls() == [_url(deputy)]


@pytest.mark.django_db
def test_unknown_or_inactive_deputy_has_no_sign(client, district, accounts):
    assert client.get("/d/zzzzzzzz/sign.pdf").status_code == 404
    services.set_active(district.dep_a, False, actor=accounts.administrator)
    assert client.get(f"/d/{district.dep_a.public_code}/sign.pdf").status_code == 404


@pytest.mark.django_db
def test_station_signs_need_a_login(client, district):
    url = f"/s/{district.station_a.public_code}/signs.pdf"
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_station_staff_cannot_print_another_stations_signs(client, district, accounts):
    client.force_login(accounts.station_b_staff)
    assert client.get(f"/s/{district.station_a.public_code}/signs.pdf").status_code == 403


@pytest.mark.django_db
def test_station_staff_print_one_page_per_active_deputy(
    client, district, accounts, tmp_path, django_assert_max_num_queries
):
    station = district.station_a
    gone = DeputyFactory(name="赵退休", stations=[station])
    services.set_active(gone, False, actor=accounts.administrator)
    for n in range(8):
        DeputyFactory(name=f"站内代表{n}", stations=[station])
    active = [district.dep_a, district.dep_shared, *station.deputies.filter(name__contains="站内")]
    client.force_login(accounts.station_a_staff)

    # A fixed number of queries, however many deputies sit in the station.
    with django_assert_max_num_queries(8):
        response = client.get(f"/s/{station.public_code}/signs.pdf")
    pdf = Pdf(response, tmp_path)
    assert pdf.pages == len(active) == 10
    assert sorted(pdf.scanned_urls()) == sorted(_url(d) for d in active)
    text = pdf.text()
    assert "赵退休" not in text
    assert all(d.name in text for d in active)
    # Every page is headed by the station whose signs these are.
    assert all(station.name in pdf.text(page) for page in range(1, pdf.pages + 1))


@pytest.mark.django_db
def test_a_station_without_deputies_prints_one_explaining_page(
    client, accounts, district, tmp_path
):
    for deputy in (district.dep_b, district.dep_shared):
        services.set_active(deputy, False, actor=accounts.administrator)
    client.force_login(accounts.station_b_staff)
    pdf = Pdf(client.get(f"/s/{district.station_b.public_code}/signs.pdf"), tmp_path)
    assert pdf.pages == 1
    assert district.station_b.name in pdf.text()
    assert pdf.scanned_urls() == []


@pytest.mark.django_db
def test_by_default_an_installed_chinese_font_is_embedded(client, district, tmp_path):
    """Debian's fonts-wqy-zenhei (.ci/run installs it): every font embedded, no STSong-Light or
    Helvetica that a viewer without Adobe's CJK pack would have to supply."""
    dep = district.dep_a
    dep.public_phone = "0571-86012345"
    dep.save()
    pdf = Pdf(client.get(f"/d/{dep.public_code}/sign.pdf"), tmp_path)
    pdf.assert_fonts_embedded()
    assert "STSong-Light" not in pdf.fonts() and "Helvetica" not in pdf.fonts()
    text = pdf.text()
    assert "张明华" in text and "0571-86012345" in text and _url(dep).split("//")[1] in text
    assert len(pdf.path.read_bytes()) < 200_000  # a subset, not the whole 17 MB font
    assert pdf.scanned_urls() == [_url(dep)]


@pytest.mark.django_db
def test_a_configured_truetype_font_is_embedded(client, district, settings, tmp_path):
    font = next((path for path in reversed(CJK_FONTS) if Path(path).exists()), None)
    if font is None:
        pytest.skip("no TrueType Chinese font installed (Debian fonts-wqy-zenhei)")
    settings.PDF_FONT_PATH = font
    pdf = Pdf(client.get(f"/d/{district.dep_a.public_code}/sign.pdf"), tmp_path)
    pdf.assert_fonts_embedded()
    assert "WenQuanYi" in pdf.fonts()
    assert "张明华" in pdf.text()


@pytest.mark.django_db
def test_without_any_font_file_the_cid_font_is_the_last_resort_and_check_warns(
    client, district, settings, monkeypatch, tmp_path
):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    monkeypatch.setattr(signs, "PDF_FONT_CANDIDATES", (str(tmp_path / "missing.ttc"),))
    settings.PDF_FONT_PATH = ""
    pdf = Pdf(client.get(f"/d/{district.dep_a.public_code}/sign.pdf"), tmp_path)
    assert "STSong-Light" in pdf.fonts()
    assert "张明华" in pdf.text()
    with pytest.raises(SystemCheckError, match=r"directory\.W001"):
        call_command("check", fail_level="WARNING")


def test_a_font_without_digits_is_passed_over(settings, monkeypatch, tmp_path):
    """DroidSansFallback has Chinese glyphs but no digits: numbers would vanish from the page."""
    droid = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
    if not Path(droid).exists() or not Path(CJK_FONTS[0]).exists():
        pytest.skip("needs fonts-droid-fallback and fonts-wqy-zenhei")
    monkeypatch.setattr(signs, "PDF_FONT_CANDIDATES", (droid, CJK_FONTS[0]))
    settings.PDF_FONT_PATH = ""
    assert signs.pdf_font() == "Liaison-wqy-zenhei"


@pytest.mark.django_db
def test_an_unusable_font_falls_back_to_the_standard_font(
    client, district, settings, tmp_path, caplog
):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"this is not a font")
    settings.PDF_FONT_PATH = str(broken)
    pdf = Pdf(client.get(f"/d/{district.dep_a.public_code}/sign.pdf"), tmp_path)
    assert "STSong-Light" in pdf.fonts()
    assert "张明华" in pdf.text()
    assert "unusable" in caplog.text
