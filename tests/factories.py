import factory

from liaison.accounts.models import Role, User
from liaison.directory.models import (
    Category,
    Department,
    DepartmentLevel,
    Deputy,
    DeputyLevel,
    Region,
    RegionLevel,
    Station,
    StationKind,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"3301{n:08d}")
    name = factory.Sequence(lambda n: f"区划{n}")
    level = RegionLevel.TOWNSHIP
    parent = None


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    code = factory.Sequence(lambda n: f"ST{n:04d}")
    name = factory.Sequence(lambda n: f"测试联络站{n}")
    kind = StationKind.STATION
    region = factory.SubFactory(RegionFactory)
    address = "测试路1号"
    phone = "0571-87654321"


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"DB{n:05d}")
    name = factory.Sequence(lambda n: f"代表{n}")
    level = DeputyLevel.COUNTY
    term = "第十七届"
    region = factory.SubFactory(RegionFactory)
    constituency = "第一选区"
    public_phone = "13800000000"

    @factory.post_generation
    def stations(self, create, extracted, **kwargs):
        if create and extracted:
            self.stations.set(extracted)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"DEP{n:03d}")
    name = factory.Sequence(lambda n: f"承办单位{n}")
    region = factory.SubFactory(RegionFactory)
    level = DepartmentLevel.COUNTY


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"分类{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.ADMINISTRATOR
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass-for-tests")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()
