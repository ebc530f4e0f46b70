import pytest

from liaison.accounts.models import Role
from liaison.directory.models import GridCell
from tests.factories import UserFactory


@pytest.fixture
def cells(district):
    one = GridCell.objects.create(
        code="G1",
        name="翠苑一区网格",
        region=district.street_a,
        station=district.station_a,
        boundary="文三路以北",
        worker_name="周网格",
        worker_phone="0571-88880001",
    )
    two = GridCell.objects.create(
        code="G2", name="西溪二区网格", region=district.street_b, station=district.station_b
    )
    return one, two


@pytest.fixture
def worker(cells):
    return UserFactory(username="grid1", role=Role.GRID_WORKER, grid_cell=cells[0], is_staff=False)
