"""External programs some tests drive (a QR decoder, PDF tools, a browser).

Locally a missing program skips the test with the Debian package to install; in CI
(LIAISON_REQUIRE_TEST_TOOLS=1, set by .ci/run) it fails it, so that a broken CI image cannot
quietly turn these tests off.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

DEBIAN_PACKAGES = {
    "zbarimg": "zbar-tools",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdfimages": "poppler-utils",
    "chromium": "chromium",
    "msgfmt": "gettext",
    "soffice": "libreoffice-calc-nogui",
}


def tools_required() -> bool:
    return os.environ.get("LIAISON_REQUIRE_TEST_TOOLS", "").lower() in {"1", "true", "yes"}


def require_tool(name: str) -> str:
    """The path of program `name`, or skip (locally) / fail (CI) the calling test."""
    path = shutil.which(name)
    if path:
        return path
    package = DEBIAN_PACKAGES.get(name, name)
    reason = f"{name} is not installed (Debian package {package})"
    if tools_required():
        pytest.fail(f"{reason}; LIAISON_REQUIRE_TEST_TOOLS=1 requires it", pytrace=False)
    pytest.skip(reason)


# LibreOffice Writer's module: `soffice` alone (libreoffice-calc-nogui) cannot read a .docx.
WRITER = Path("/usr/lib/libreoffice/program/libswlo.so")


def require_writer() -> str:
    """`soffice` with Writer (to open the .docx reports), or skip (locally) / fail (CI)."""
    office = require_tool("soffice")
    if WRITER.exists():
        return office
    reason = "LibreOffice Writer is not installed (Debian package libreoffice-writer-nogui)"
    if tools_required():
        pytest.fail(f"{reason}; LIAISON_REQUIRE_TEST_TOOLS=1 requires it", pytrace=False)
    pytest.skip(reason)


def run(name: str, *args: str, timeout: float = 60) -> str:
    """Run a required tool and return its standard output; a failure shows its stderr."""
    result = subprocess.run(
        [require_tool(name), *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{name} {' '.join(args)} failed: {result.stderr}"
    return result.stdout


def decode_qr(image: bytes | Path) -> list[str]:
    """Every QR code zbarimg finds in a PNG image (bytes or a file), as text."""
    if isinstance(image, bytes):
        with tempfile.NamedTemporaryFile(suffix=".png") as file:
            file.write(image)
            file.flush()
            return decode_qr(Path(file.name))
    # --raw: the payload only; -q: no statistics. zbarimg exits 4 when it finds nothing.
    result = subprocess.run(
        [require_tool("zbarimg"), "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode in (0, 4), f"zbarimg failed: {result.stderr}"
    return result.stdout.splitlines()


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def require_redis(cache) -> None:
    """Skip (locally) or fail (CI) the calling test when `cache` cannot reach its Redis server."""
    try:
        cache.set("ping", 1, 5)
    except Exception as error:  # any connection failure means "no server"
        if tools_required():
            pytest.fail(f"no Redis at {REDIS_URL}: {error}", pytrace=False)
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
