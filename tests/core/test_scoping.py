"""Scoping: a user sees only records inside their region subtree — in selectors, admin and API."""

import pytest
from django.db import transaction

from reemployment.core import audit
from reemployment.core.models import AuditEvent, Region
from reemployment.core.scoping import in_jurisdiction, regions_for, scope


@pytest.mark.django_db
def test_township_sees_only_its_subtree(users, regions):
    visible = set(regions_for(users["township_a"]).values_list("code", flat=True))
    assert visible == {"341125100", "341125100001", "341125100002"}


@pytest.mark.django_db
def test_county_sees_county_not_neighbour(users, regions):
    visible = set(regions_for(users["county"]).values_list("code", flat=True))
    assert "341125101002" in visible and "341126" not in visible


@pytest.mark.django_db
def test_admin_sees_all_and_editor_sees_none(users, regions):
    assert regions_for(users["admin"]).count() == Region.objects.count()
    assert regions_for(users["editor"]).count() == 0


@pytest.mark.django_db
def test_scope_on_related_field(users, regions):
    with transaction.atomic():
        audit.record(actor=users["county"], action="t.a", obj=regions["comm_a1"], region=regions["comm_a1"])
        audit.record(actor=users["county"], action="t.b", obj=regions["comm_b1"], region=regions["comm_b1"])
    own = scope(AuditEvent.objects.all(), users["township_a"])
    assert list(own.values_list("action", flat=True)) == ["t.a"]
    assert in_jurisdiction(users["township_a"], regions["comm_a1"])
    assert not in_jurisdiction(users["township_a"], regions["comm_b1"])


@pytest.mark.django_db
def test_anonymous_sees_nothing(regions):
    from django.contrib.auth.models import AnonymousUser

    assert regions_for(AnonymousUser()).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user_key, code, expected",
    [
        ("township_a", "341125100001", 200),  # own community
        ("township_a", "341125101001", 404),  # the other township's village
        ("township_b", "341125100001", 404),
        ("community_a1", "341125100002", 404),  # sibling community
        ("county", "341125101002", 200),
        ("other_county", "341125100001", 404),
        ("admin", "341126", 200),
    ],
)
def test_api_region_detail_is_scoped(client, users, regions, user_key, code, expected):
    client.force_login(users[user_key])
    response = client.get(f"/api/v1/regions/{code}/")
    assert response.status_code == expected


@pytest.mark.django_db
def test_api_requires_login(client, regions):
    assert client.get("/api/v1/regions/").status_code in (401, 403)


@pytest.mark.django_db
def test_api_region_list_is_scoped(client, users, regions):
    client.force_login(users["township_b"])
    codes = {r["code"] for r in client.get("/api/v1/regions/").json()["results"]}
    assert codes == {"341125101", "341125101001", "341125101002"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user_key, code, expected",
    [
        ("township_a", "341125100001", 200),
        ("township_a", "341125101001", 404),
        ("county", "341125101001", 200),
        ("other_county", "341125101001", 404),
    ],
)
def test_admin_region_views_are_scoped(client, users, regions, user_key, code, expected):
    client.force_login(users[user_key])
    region = Region.objects.get(code=code)
    assert client.get(f"/admin/region/inspect/{region.pk}/").status_code == expected


@pytest.mark.django_db
def test_admin_region_index_lists_only_own_subtree(client, users, regions):
    client.force_login(users["township_a"])
    html = client.get("/admin/region/").content.decode()
    assert "城南社区" in html and "炉桥村" not in html
