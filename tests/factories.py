"""Shared factories: regions and users with roles."""

import factory

from reemployment.core.models import Area, Region, RegionLevel, Role, User
from reemployment.core.roles import assign_role_group


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{341100 + n:06d}")
    name = factory.Sequence(lambda n: f"测试县{n}")
    level = RegionLevel.COUNTY
    area = ""
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.COMMUNITY
    region = None
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-123")

    @factory.post_generation
    def role_group(self, create, extracted, **kwargs):
        if create:
            self.save()
            assign_role_group(self)


def make_region_tree():
    """A county with two townships (one urban, one rural), each with two communities."""
    county = RegionFactory(code="341125", name="定远县", level=RegionLevel.COUNTY)
    town_a = RegionFactory(code="341125100", name="定城镇", level=RegionLevel.TOWNSHIP, area=Area.URBAN, parent=county)
    town_b = RegionFactory(code="341125101", name="炉桥镇", level=RegionLevel.TOWNSHIP, area=Area.RURAL, parent=county)
    comm_a1 = RegionFactory(code="341125100001", name="城南社区", level=RegionLevel.COMMUNITY, area=Area.URBAN, parent=town_a)
    comm_a2 = RegionFactory(code="341125100002", name="城北社区", level=RegionLevel.COMMUNITY, area=Area.URBAN, parent=town_a)
    comm_b1 = RegionFactory(code="341125101001", name="炉桥村", level=RegionLevel.COMMUNITY, area=Area.RURAL, parent=town_b)
    comm_b2 = RegionFactory(code="341125101002", name="南塘村", level=RegionLevel.COMMUNITY, area=Area.RURAL, parent=town_b)
    other_county = RegionFactory(code="341126", name="凤阳县", level=RegionLevel.COUNTY)
    return {
        "county": county, "town_a": town_a, "town_b": town_b, "comm_a1": comm_a1, "comm_a2": comm_a2,
        "comm_b1": comm_b1, "comm_b2": comm_b2, "other_county": other_county,
    }
