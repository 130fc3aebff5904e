"""Editing the region tree: moving or renumbering a region rewrites its subtree, so scoping holds; audited."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reemployment.core import audit, services
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import AuditEvent, Region
from reemployment.core.policy_loader import PolicyFileError, load_policy_text
from reemployment.core.scoping import regions_for, scope
from tests.core.test_policy import SAMPLE
from tests.factories import UserFactory

PROVINCE_FILE = """\
regions:
  - code: "341100"
    name: 滁州市
    level: city
    children:
      - code: "341125"
        name: 定远县
        level: county
        children:
          - {code: "341125100", name: 定城镇人民政府, level: township, area: urban}
"""


def _assert_paths_consistent():
    for region in Region.objects.select_related("parent"):
        expected = (region.parent.path if region.parent else "") + region.code + "/"
        assert region.path == expected, region.code


def _record_in(region, action):
    with transaction.atomic():
        return audit.record(actor="test", action=action, obj=region, region=region)


@pytest.mark.django_db
def test_reparenting_a_county_through_load_policy_keeps_every_user_seeing_their_records():
    load_policy_text(SAMPLE)
    community = Region.objects.get(code="341125100001")
    township_user = UserFactory(username="town", role="township", region=Region.objects.get(code="341125100"))
    county_user = UserFactory(username="county", role="county", region=Region.objects.get(code="341125"))
    _record_in(community, "t.community")
    _record_in(Region.objects.get(code="341125101"), "t.other-township")

    # A provincial file puts the county under its city (and corrects the township's name).
    report = load_policy_text(PROVINCE_FILE)
    assert (report.regions_created, report.regions_updated) == (1, 2)
    _assert_paths_consistent()
    assert Region.objects.get(code="341125100001").path == "341100/341125/341125100/341125100001/"

    township_user.refresh_from_db()
    assert set(regions_for(township_user).values_list("code", flat=True)) == {"341125100", "341125100001"}
    assert list(scope(AuditEvent.objects.filter(action__startswith="t."), township_user)
                .values_list("action", flat=True)) == ["t.community"]
    county_user.refresh_from_db()
    assert set(scope(AuditEvent.objects.filter(action__startswith="t."), county_user)
               .values_list("action", flat=True)) == {"t.community", "t.other-township"}

    moved = AuditEvent.objects.get(action="region.update", object_id=str(county_user.region_id))
    assert moved.before["parent_id"] is None and moved.after["parent_id"] == Region.objects.get(code="341100").pk
    assert moved.before["path"] == "341125/" and moved.after["path"] == "341100/341125/"
    assert "下级区划 3 个随之更新" in moved.note  # two townships and the community

    # Loading either file again changes nothing: the county file's top region keeps its place.
    events = AuditEvent.objects.count()
    assert load_policy_text(PROVINCE_FILE).changed == 0
    assert load_policy_text(SAMPLE.replace("定城镇, level", "定城镇人民政府, level")).changed == 0
    assert Region.objects.get(code="341125").parent.code == "341100"
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_load_policy_refusing_a_region_change_rejects_the_whole_file():
    load_policy_text(SAMPLE)
    load_policy_text(PROVINCE_FILE)
    # Well-formed, but the city has a county below it in the database: it cannot become a county.
    bad = """\
regions:
  - {code: "341100", name: 滁州市, level: county}
  - {code: "341200", name: 阜阳市, level: city}
"""
    with pytest.raises(PolicyFileError) as info:
        load_policy_text(bad)
    assert len(info.value.errors) == 1 and info.value.errors[0].startswith("第 2 行：下级区划 341125 的级别须低于本级")
    assert not Region.objects.filter(code="341200").exists()  # nothing was written
    assert Region.objects.get(code="341100").level == "city"


@pytest.mark.django_db
def test_admin_renumbering_a_township_cascades_to_its_communities_and_is_audited(client, users, regions):
    town = regions["town_a"]
    _record_in(regions["comm_a1"], "t.comm-a1")
    client.force_login(users["admin"])
    response = client.post(f"/admin/region/edit/{town.pk}/", {
        "code": "341125102", "name": "定城镇", "level": "township", "area": "urban", "parent": regions["county"].pk,
    })
    assert response.status_code == 302, response.content.decode()[:3000]

    assert set(Region.objects.filter(parent=town).values_list("code", "path")) == {
        ("341125102001", "341125/341125102/341125102001/"),
        ("341125102002", "341125/341125102/341125102002/"),
    }
    _assert_paths_consistent()
    township_user = type(users["township_a"]).objects.get(pk=users["township_a"].pk)
    assert set(regions_for(township_user).values_list("code", flat=True)) == {
        "341125102", "341125102001", "341125102002"}
    assert list(scope(AuditEvent.objects.filter(action="t.comm-a1"), township_user)) != []

    event = AuditEvent.objects.get(action="region.update", object_id=str(town.pk))
    assert event.actor == users["admin"]
    assert (event.before["code"], event.after["code"]) == ("341125100", "341125102")
    assert "下级区划 2 个随之更新" in event.note and "341125100… → 341125102…" in event.note


@pytest.mark.django_db
def test_the_subtree_is_rewritten_in_one_statement(users, regions):
    county = regions["county"]
    for n in range(3, 40):  # a county of 40 villages more
        Region.objects.create(code=f"341125100{n:03d}", name=f"村{n}", level="community", parent=regions["town_a"])
    county.code = "341126"
    regions["other_county"].code = "341199"
    services.region_save(actor=users["admin"], region=regions["other_county"])
    with CaptureQueriesContext(connection) as queries:
        services.region_save(actor=users["admin"], region=county)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "core_region" in q["sql"]]
    assert len(updates) == 2  # the county itself, then all 43 regions below it at once
    assert Region.objects.filter(code__startswith="341126").count() == 44
    _assert_paths_consistent()


@pytest.mark.django_db
def test_renumbering_into_a_code_range_in_use_is_refused(users, regions):
    stray = Region.objects.create(code="341125103", name="别的镇", level="township", parent=regions["county"])
    Region.objects.create(code="341125104001", name="孤村", level="community", parent=stray)
    town = Region.objects.get(pk=regions["town_a"].pk)
    town.code = "341125101"
    with pytest.raises(DomainError, match="code"):  # the code itself is taken
        services.region_save(actor=users["admin"], region=town)
    town.code = "341125104"  # free itself, but 341125104001 exists
    with pytest.raises(Conflict, match="341125104001"):
        services.region_save(actor=users["admin"], region=town)
    assert Region.objects.get(pk=town.pk).code == "341125100"


@pytest.mark.django_db
def test_moves_that_break_the_tree_are_refused(users, regions):
    town = Region.objects.get(pk=regions["town_a"].pk)
    town.parent = regions["other_county"]  # 341125100 does not start with 341126
    with pytest.raises(DomainError, match="341126"):
        services.region_save(actor=users["admin"], region=town)
    county = Region.objects.get(pk=regions["county"].pk)
    county.level = "township"
    county.code = "341125000"
    with pytest.raises(DomainError):
        services.region_save(actor=users["admin"], region=county)
    town = Region.objects.get(pk=regions["town_a"].pk)
    town.level = "community"
    town.code = "341125100000"
    town.parent = regions["town_b"]
    with pytest.raises(DomainError):
        services.region_save(actor=users["admin"], region=town)
    _assert_paths_consistent()


@pytest.mark.django_db
@pytest.mark.parametrize("user_key", ["county", "township_a", "labour", "editor"])
def test_only_system_administrators_edit_regions(users, regions, user_key):
    town = Region.objects.get(pk=regions["town_a"].pk)
    town.name = "改名"
    with pytest.raises(PermissionDenied):
        services.region_save(actor=users[user_key], region=town)


@pytest.mark.django_db
def test_saving_an_unchanged_region_writes_nothing(users, regions):
    services.region_save(actor=users["admin"], region=Region.objects.get(pk=regions["town_a"].pk))
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_regions_cannot_be_deleted_in_the_admin(client, users, regions):
    client.force_login(users["admin"])
    assert client.get(f"/admin/region/delete/{regions['comm_a2'].pk}/").status_code == 404
    assert client.post(f"/admin/region/delete/{regions['comm_a2'].pk}/").status_code == 404
    assert Region.objects.filter(pk=regions["comm_a2"].pk).exists()
