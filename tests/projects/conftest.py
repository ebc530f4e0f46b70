import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from liaison.accounts.models import Role
from liaison.projects import services
from tests.factories import UserFactory


def jpeg(name="site.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def not_an_image(name="site.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<script>alert(1)</script>", content_type="image/jpeg")


@pytest.fixture
def deputies(district, accounts):
    """Deputy accounts: dep_a (street A), dep_shared (the county), dep_b (street B)."""
    return {
        "a": accounts.deputy_a,
        "shared": UserFactory(username="deputy_s", role=Role.DEPUTY, deputy=district.dep_shared),
        "b": UserFactory(username="deputy_b", role=Role.DEPUTY, deputy=district.dep_b),
    }


@pytest.fixture
def project(district, accounts):
    """A county project, with department A responsible."""
    return services.propose_project(
        actor=accounts.county_committee,
        year=2026,
        title="老旧小区加装电梯",
        description="为北山街道老旧小区加装电梯20部。",
        department=district.department_a,
        budget="1200.50",
        region=district.county,
    )


def open_for(project, accounts, days=7):
    return services.open_vote(
        project, actor=accounts.county_committee, closes_at=timezone.now() + timedelta(days=days)
    )
