"""Staff logins: created and edited in Wagtail's admin or with `create_staff_user`, through the audited service."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation

from reemployment.core import services
from reemployment.core.errors import DomainError, PermissionDenied
from reemployment.core.models import AuditEvent, Role, User
from reemployment.core.roles import group_name
from tests.factories import UserFactory

PASSWORD = "Qz7-township-login"


def _form(regions, **changes):
    data = {"username": "dingcheng2", "display_name": "定城镇民政办 钱干事", "email": "", "first_name": "",
            "last_name": "", "role": "township", "region": regions["town_a"].pk, "password1": PASSWORD,
            "password2": PASSWORD}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role="", is_superuser=True, is_staff=True)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_a_system_administrator_creates_a_township_login_in_the_admin(client, users, regions, superuser, who):
    actor = superuser if who == "superuser" else users["admin"]
    client.force_login(actor)
    assert client.get("/admin/users/new/").status_code == 200
    response = client.post("/admin/users/new/", _form(regions))
    assert response.status_code == 302, response.content.decode()[:3000]

    user = User.objects.get(username="dingcheng2")
    assert (user.role, user.region, user.display_name) == (Role.TOWNSHIP, regions["town_a"], "定城镇民政办 钱干事")
    assert user.check_password(PASSWORD) and not user.is_superuser and not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [group_name(Role.TOWNSHIP)]
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == actor and event.region == regions["town_a"]
    assert event.after["role"] == "township" and event.after["region_id"] == regions["town_a"].pk
    assert "password" not in event.after and event.note == "密码已设置"

    # The new login can work in the admin and sees its own township only.
    client.force_login(user)
    assert client.get(f"/admin/region/inspect/{regions['comm_a1'].pk}/").status_code == 200
    assert client.get(f"/admin/region/inspect/{regions['comm_b1'].pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"region": ""}, "region", "该角色必须有所属辖区"),
        ({"region": "county"}, "region", "所属辖区应为乡镇/街道级"),  # a township login with a county region
        ({"role": "community", "region": "town_a"}, "region", "所属辖区应为社区/村级"),
        ({"role": "recipient"}, "role", "recipient"),  # recipients are created with their household
        ({"role": ""}, "role", ""),
    ],
)
def test_the_admin_form_validates_role_and_region(client, users, regions, changes, field, message):
    changes = {k: (regions[v].pk if k == "region" and v in regions else v) for k, v in changes.items()}
    client.force_login(users["admin"])
    response = client.post("/admin/users/new/", _form(regions, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert not User.objects.filter(username="dingcheng2").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_editing_a_login_moves_it_and_its_group_and_is_audited(client, users, regions):
    township = users["township_a"]
    client.force_login(users["admin"])
    response = client.post(f"/admin/users/edit/{township.pk}/", {
        "username": township.username, "display_name": "调任", "email": "", "first_name": "", "last_name": "",
        "role": "community", "region": regions["comm_b1"].pk, "is_active": "on", "password1": "", "password2": "",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    township.refresh_from_db()
    assert (township.role, township.region) == (Role.COMMUNITY, regions["comm_b1"])
    assert list(township.groups.values_list("name", flat=True)) == [group_name(Role.COMMUNITY)]
    event = AuditEvent.objects.get(action="user.update", object_id=str(township.pk))
    assert event.before["region_id"] == regions["town_a"].pk and event.after["region_id"] == regions["comm_b1"].pk
    assert event.note == ""  # no password change


@pytest.mark.django_db
def test_groups_follow_the_role_and_only_superusers_grant_superuser(client, users, regions):
    editors = Group.objects.create(name="extra")
    client.force_login(users["admin"])  # a system administrator, not a superuser
    response = client.post("/admin/users/new/", _form(regions, is_superuser="on", groups=[editors.pk]))
    assert response.status_code == 302
    user = User.objects.get(username="dingcheng2")
    assert not user.is_superuser  # the switch is disabled for them: the posted value is ignored
    assert list(user.groups.values_list("name", flat=True)) == [group_name(Role.TOWNSHIP)]


@pytest.mark.django_db
@pytest.mark.parametrize("user_key", ["county", "township_a", "labour", "editor"])
def test_only_system_administrators_manage_logins(client, users, regions, user_key):
    client.force_login(users[user_key])
    assert client.get("/admin/users/").status_code in (302, 403)
    assert client.post("/admin/users/new/", _form(regions)).status_code in (302, 403)
    assert client.post(f"/admin/users/edit/{users['township_b'].pk}/", _form(regions)).status_code in (302, 403)
    assert not User.objects.filter(username="dingcheng2").exists()
    with pytest.raises(PermissionDenied):
        services.user_create(actor=users[user_key], username="x", password=PASSWORD, role="township",
                             region=regions["town_a"])


@pytest.mark.django_db
def test_a_system_administrator_cannot_take_over_a_superuser(users, superuser):
    superuser.display_name = "changed"
    with pytest.raises(PermissionDenied):
        services.user_save(actor=users["admin"], user=superuser, password="another-Pass-123")
    superuser.refresh_from_db()
    assert superuser.display_name == ""


@pytest.mark.django_db
def test_a_staff_login_cannot_become_a_recipient_and_back(users):
    township = users["township_a"]
    township.role = Role.RECIPIENT
    with pytest.raises(DomainError, match="低保对象的登录账号随家庭建立"):
        services.user_save(actor=users["admin"], user=township)


@pytest.mark.django_db
def test_deleting_and_bulk_changes_of_logins_are_refused(client, users, superuser):
    client.force_login(superuser)
    target = users["township_b"]
    # Wagtail's admin turns a refusal into a redirect to its dashboard with a message.
    assert client.get(f"/admin/users/delete/{target.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/users/delete/{target.pk}/").status_code in (302, 403)
    assert User.objects.filter(pk=target.pk).exists()
    response = client.post(f"/admin/bulk/core/user/set_active_state/?id={target.pk}&next=/admin/users/",
                           {"mark_as_active": "False"})
    assert response.status_code in (302, 403) and response.get("Location") != "/admin/users/"
    target.refresh_from_db()
    assert target.is_active
    listing = client.get("/admin/users/").content.decode()
    assert target.username in listing and "data-bulk-action-checkbox" not in listing


# ---------------------------------------------------------------- create_staff_user


@pytest.mark.django_db
def test_create_staff_user_command(regions, capsys):
    call_command("create_staff_user", "luqiao2", "township", "341125101", "--password", PASSWORD,
                 "--display-name", "炉桥镇 孙干事")
    user = User.objects.get(username="luqiao2")
    assert (user.role, user.region.code, user.display_name) == ("township", "341125101", "炉桥镇 孙干事")
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [group_name(Role.TOWNSHIP)]
    event = AuditEvent.objects.get(action="user.create")
    assert event.actor is None and event.actor_label == "system:create_staff_user"
    assert "炉桥镇" in capsys.readouterr().out


@pytest.mark.django_db
def test_create_staff_user_reads_the_password_from_the_environment(regions, monkeypatch):
    monkeypatch.setenv("STAFF_USER_PASSWORD", PASSWORD)
    call_command("create_staff_user", "editor2", "editor", "--no-input")
    user = User.objects.get(username="editor2")
    assert user.role == "editor" and user.region is None and user.check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["t2", "township", "999999999"], "未知的行政区划代码 999999999"),
        (["t2", "township"], "该角色必须有所属辖区"),
        (["t2", "township", "341125"], "乡镇/街道工作人员的所属辖区应为乡镇/街道级"),
        (["t2", "county", "341125", "--password", "123"], "密码不符合要求"),
        (["t2", "county", "341125", "--no-input", "--password", ""], "没有密码"),
    ],
)
def test_create_staff_user_refuses_bad_input(regions, monkeypatch, args, message):
    monkeypatch.delenv("STAFF_USER_PASSWORD", raising=False)
    if "--password" not in args:
        args = [*args, "--password", PASSWORD]
    with pytest.raises(CommandError, match=message):
        call_command("create_staff_user", *args)
    assert not User.objects.filter(username="t2").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_create_staff_user_speaks_english_under_english(regions, monkeypatch):
    monkeypatch.delenv("STAFF_USER_PASSWORD", raising=False)
    refusal = r"the home region of this role \(Township staff\) must be a region of the level Township"
    with translation.override("en"), pytest.raises(CommandError, match=refusal):
        call_command("create_staff_user", "t2", "township", "341125", "--password", PASSWORD)


@pytest.mark.django_db
def test_create_staff_user_does_not_silently_change_an_existing_login(users, regions):
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_staff_user", users["township_a"].username, "county", "341125", "--password", PASSWORD)
    call_command("create_staff_user", users["township_a"].username, "county", "341125", "--password", PASSWORD,
                 "--update")
    users["township_a"].refresh_from_db()
    assert users["township_a"].role == "county"
    assert AuditEvent.objects.get(action="user.update").before["role"] == "township"
