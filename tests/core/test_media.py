"""Only deputies' photos are public files; citizens' uploads are not reachable under /media/."""

import pytest


@pytest.fixture
def media(settings):
    root = settings.MEDIA_ROOT
    (root / "deputies").mkdir(parents=True)
    (root / "cases").mkdir(parents=True)
    (root / "deputies" / "photo.jpg").write_bytes(b"deputy")
    (root / "cases" / "photo.jpg").write_bytes(b"citizen")
    return root


def test_deputy_photos_are_served(client, media):
    response = client.get("/media/deputies/photo.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"deputy"


@pytest.mark.parametrize(
    "path", ["/media/cases/photo.jpg", "/media/deputies/../cases/photo.jpg", "/media/"]
)
def test_other_uploads_are_not(client, media, path):
    # A path that tries to climb out of the folder is refused as a bad request.
    assert client.get(path).status_code in (400, 404)
