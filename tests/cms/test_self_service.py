"""The recipient hub /me/, the login page and where users land after logging in."""

import re

import pytest
from django.test import RequestFactory

from cms.views import PortalLoginView, landing_url_for
from reemployment.core.models import Role, today
from tests.factories import UserFactory


@pytest.fixture
def recipient(regions):
    return UserFactory(username="341125198001010011", role=Role.RECIPIENT, display_name="张大山")


def test_me_requires_login(client, site):
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/me/")


def test_me_shows_one_menu_with_the_four_services(client, site, recipient):
    client.force_login(recipient)
    body = client.get("/me/").content.decode()
    for label in ("我的低保", "我的求职", "我的培训", "报告变化"):
        assert label in body
    # each entry links to the view its app provides (none is "暂未开通" once all apps are installed)
    for href in ("/me/benefit/", "/me/jobs/", "/me/training/", "/me/benefit/report/"):
        assert f'href="{href}"' in body
    assert "暂未开通" not in body
    assert 'name="viewport"' in body  # phone-width layout


def test_me_in_english(client, site, recipient):
    client.force_login(recipient)
    body = client.get("/en/me/").content.decode()
    assert "My benefit" in body and "Report a change" in body


def test_me_tells_staff_to_use_the_admin(client, site, users):
    client.force_login(users["community_a1"])
    assert 'href="/admin/"' in client.get("/me/").content.decode()


def test_login_page_explains_id_number_login(client, site):
    body = client.get("/accounts/login/").content.decode()
    assert "用身份证号码登录" in body
    assert 'autocomplete="username"' in body and 'for="id_password"' in body


@pytest.mark.parametrize("role,expected", [
    (Role.RECIPIENT, "/me/"),
    (Role.COMMUNITY, "/admin/"),
    (Role.LABOUR, "/admin/"),
    (Role.EDITOR, "/admin/"),
])
def test_landing_page_by_role(regions, role, expected):
    user = UserFactory(username=f"landing-{role}", role=role,
                       region=regions["comm_a1"] if role == Role.COMMUNITY else regions["county"])
    assert landing_url_for(user) == expected


def test_login_view_sends_recipients_to_me_and_respects_next(recipient):
    view = PortalLoginView()
    request = RequestFactory().post("/accounts/login/")
    request.user = recipient
    view.setup(request)
    assert view.get_success_url() == "/me/"
    request = RequestFactory().post("/accounts/login/", {"next": "/me/jobs/"})
    request.user = recipient
    view.setup(request)
    assert view.get_success_url() == "/me/jobs/"


# --- logging in with the ID number ----------------------------------------------------------------


def _id_number_ending_in_x() -> str:
    import datetime as dt

    from reemployment.idcard import make_id_number

    return next(number for seq in range(1, 1000)
                if (number := make_id_number("341125", dt.date(1980, 1, 1), seq)).endswith("X"))


@pytest.mark.parametrize("typed", [
    lambda number: number.lower(),          # the x typed in lowercase
    lambda number: f"  {number.lower()} ",  # and with spaces around
    lambda number: number,
])
def test_recipient_logs_in_with_a_lowercase_x(client, site, typed):
    number = _id_number_ending_in_x()  # stored with a capital X, as recipient_account_create does
    UserFactory(username=number, role=Role.RECIPIENT)
    response = client.post("/accounts/login/", {"username": typed(number), "password": "pw-for-tests-123"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200


def test_staff_user_names_are_not_changed(client, site, users):
    # only an ID number is upper-cased: a staff user name is matched exactly as typed
    response = client.post("/accounts/login/", {"username": "T-EDITOR", "password": "pw-for-tests-123"})
    assert response.status_code == 200 and "身份证号码（用户名）或密码不正确" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "t-editor", "password": "pw-for-tests-123"})
    assert response.status_code == 302 and response["Location"] == "/admin/"


# --- the recipient's benefit pages in English -----------------------------------------------------


@pytest.fixture
def household_with_login(regions):
    import datetime as dt
    from decimal import Decimal

    from benefits.models import Enrolment, EnrolmentStatus
    from tests.jobs.factories import make_household, make_member

    user = UserFactory(username=_id_number_ending_in_x(), role=Role.RECIPIENT)
    household = make_household(regions["comm_a1"], account=user, enrolled=True)
    make_member(household, name="王建国")
    as_of = today()
    Enrolment.objects.filter(household=household).update(
        status=EnrolmentStatus.TRANSITIONAL, transition_amount=Decimal("150.00"),
        transition_from=as_of.replace(day=1), transition_until=as_of + dt.timedelta(days=150),
        next_review_on=as_of + dt.timedelta(days=150),
    )
    return user


def test_my_benefit_page_in_english(client, site, household_with_login):
    client.force_login(household_with_login)
    body = client.get("/en/me/benefit/").content.decode()
    for english in ("My benefit", "Household number: ", "Benefit status", "Certificate number",
                    "Employment transition period", "150.00 yuan a month from", "Next review",
                    "Changes to the benefit", "Payments", "No payments yet", "Report a change", "Category C"):
        assert english in body, english
    main = body.split('id="main"')[1].split("</main>")[0]
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"<[^>]+>", "", main).replace(
        household_with_login.household.region.name, "")), "Chinese left on /en/me/benefit/"


def test_my_benefit_page_in_chinese(client, site, household_with_login):
    client.force_login(household_with_login)
    body = client.get("/me/benefit/").content.decode()
    for chinese in ("我的低保", "待遇状态", "就业过渡期", "下次复核", "发放记录", "暂无发放记录"):
        assert chinese in body, chinese


def test_change_report_in_english(client, site, household_with_login):
    client.force_login(household_with_login)
    body = client.get("/en/me/benefit/report/").content.decode()
    assert "Report a change" in body and "What changed" in body and "Work or income change" in body
    response = client.post("/en/me/benefit/report/", {"kind": "earnings", "new_monthly_earnings": "1200",
                                                      "details": "I started work at a supermarket."},
                           follow=True)
    assert "We have received the change you reported" in response.content.decode()


def test_the_benefits_catalogue_is_complete_and_compiled():
    """Every msgid of the benefits app has an English msgstr, and the committed .mo says the same."""
    import gettext
    from pathlib import Path

    import benefits

    folder = Path(benefits.__file__).parent / "locale" / "en" / "LC_MESSAGES"
    entries = _po_entries(folder / "django.po")
    assert len(entries) > 200
    missing = [key for key, value in entries.items() if not value]
    assert not missing
    with open(folder / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for (context, msgid), msgstr in entries.items():
        got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert got == msgstr, (context, msgid)


def _po_entries(path) -> dict:
    """{(msgctxt or None, msgid): msgstr} of a .po file (no plurals in this catalogue)."""
    import ast

    entries, field, values = {}, None, {}
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith(("msgctxt ", "msgid ", "msgstr ")):
            field, _, literal = line.partition(" ")
            values[field] = ast.literal_eval(literal)
        elif line.startswith('"') and field:
            values[field] += ast.literal_eval(line)
        elif not line.strip() and "msgstr" in values:
            if values["msgid"]:
                entries[(values.get("msgctxt"), values["msgid"])] = values["msgstr"]
            field, values = None, {}
    return entries
