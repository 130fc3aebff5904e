"""Every record has a human title and every value is shown for people (issue 16): a seeker is
"求职登记 — 李*国 (341125…)", not "求职登记 #1"; a refusal judged unjustified shows 否, not "False";
a proposal nobody decided yet shows 处理人 —, not "None"."""

import re

import pytest
from django.apps import apps
from django.db import models

from jobs import services
from jobs.models import ReferralStatus, SanctionProposal
from tests.jobs.factories import add_vacancy, make_employer, make_household, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(users, regions):
    employer = make_employer(regions["town_b"])
    vacancies = [add_vacancy(employer, regions["town_b"], title=f"炉桥岗位{n}") for n in range(2)]
    member = make_member(make_household(regions["comm_b1"]), name="李建国")
    seeker = services.seeker_register(actor=users["community_b1"], member=member, skills="电焊")
    for vacancy in vacancies:
        referral = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancy)
        services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.REFUSED,
                                         refusal_reason="不去", refusal_valid=False)
    return {"member": member, "seeker": seeker, "proposal": SanctionProposal.objects.get()}


def _cells(page: str) -> list[str]:
    """The text of every table cell and every inspect value (<td>, <dd>), tags stripped."""
    found = re.findall(r"<(td|dd)\b[^>]*>(.*?)</\1>", page, flags=re.DOTALL)
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip() for _, text in found]


@pytest.mark.parametrize("app", ["jobs", "training", "benefits"])
def test_every_model_has_its_own_title(app):
    default = [model.__name__ for model in apps.get_app_config(app).get_models()
               if model.__str__ is models.Model.__str__]
    assert not default, f"models printed as 'Model object (1)': {default}"


def test_titles_name_the_person_masked(records):
    seeker, member = records["seeker"], records["member"]
    prefix = member.id_number[:6]
    assert str(seeker) == f"求职登记 — 李*国 ({prefix}…)"
    referral = seeker.referrals.order_by("vacancy__title").first()
    assert str(referral) == f"岗位推荐 — 李*国 ({prefix}…) → 炉桥岗位0"
    assert str(records["proposal"]) == f"拒绝就业处理建议 — 李*国 ({prefix}…)"
    assert "#" not in str(seeker) + str(referral) + str(records["proposal"])


def test_seeker_list_shows_the_human_title(client, users, records):
    client.force_login(users["community_b1"])
    page = client.get("/admin/jobs/jobseeker/").content.decode()
    assert f"求职登记 — 李*国 ({records['member'].id_number[:6]}…)" in page
    assert "求职登记 #" not in page


def test_referral_list_shows_yes_no_not_python(client, users, records):
    client.force_login(users["labour"])
    cells = _cells(client.get("/admin/jobs/referral/").content.decode())
    assert cells.count("否") == 2, cells  # the two refusals judged unjustified (refusal_valid=False)
    assert not {"False", "True", "None"} & set(cells), cells


def test_undecided_proposal_shows_a_dash_for_its_decider(client, users, records):
    client.force_login(users["county"])
    page = client.get(f"/admin/jobs/sanctionproposal/inspect/{records['proposal'].pk}/").content.decode()
    cells = _cells(page)
    assert "None" not in cells and "False" not in cells, cells
    assert re.search(r"<dt>\s*处理人\s*</dt>\s*<dd>\s*—\s*</dd>", page), page[:3000]
    assert "拒绝就业处理建议 — 李*国" in page



def test_referral_list_titles_cost_no_query_per_row(client, users, regions, records):
    """The titles follow seeker → member and vacancy: fetched with the rows (STR_RELATED), so more
    rows do not mean more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["labour"])
    with CaptureQueriesContext(connection) as two_rows:
        assert client.get("/admin/jobs/referral/").status_code == 200
    employer = make_employer(regions["town_b"], name="第二家单位")
    vacancy = add_vacancy(employer, regions["town_b"], title="另一岗位")
    for name in ("王小明", "赵大军"):
        member = make_member(make_household(regions["comm_b1"]), name=name)
        seeker = services.seeker_register(actor=users["community_b1"], member=member, skills="电焊")
        services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancy)
    with CaptureQueriesContext(connection) as four_rows:
        page = client.get("/admin/jobs/referral/").content.decode()
    assert "岗位推荐 — 王*明" in page and "岗位推荐 — 赵*军" in page
    assert len(four_rows) == len(two_rows), [q["sql"][:120] for q in four_rows.captured_queries]
