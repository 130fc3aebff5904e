"""Occupation coding (职业分类大典): vacancies and profiles are coded on save, staff can correct the
code (theirs stands until cleared), and the labour report counts by code."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits.checks.reports import table_occupations
from jobs import services
from jobs.matching.vocabulary import vocabulary
from jobs.models import ReferralStatus
from reemployment.core.errors import DomainError
from reemployment.core.models import today
from tests.jobs.factories import make_employer, make_household, make_member, vacancy_fields

pytestmark = pytest.mark.django_db


def code(name):
    return vocabulary().get(name).code


def test_a_vacancy_is_coded_on_save_and_staff_can_correct_it(users, regions):
    employer = make_employer(regions["town_b"])
    vacancy = services.vacancy_create(actor=users["labour"], **vacancy_fields(
        employer, regions["town_b"], title="物流园叉车工", occupation="", description="货物叉车搬运", certificates=[]))
    assert vacancy.occupation_code == code("叉车司机") and not vacancy.occupation_code_confirmed
    # an edit of the title re-codes an automatic code
    vacancy.title, vacancy.description = "快递分拣员", "夜班分拣扫码"
    vacancy = services.vacancy_save(actor=users["labour"], instance=vacancy)
    assert vacancy.occupation_code == code("快递分拣员")
    # staff correct it: theirs stands, through later edits too
    vacancy.occupation_code = "4-02-06-01"
    vacancy = services.vacancy_save(actor=users["labour"], instance=vacancy)
    assert (vacancy.occupation_code, vacancy.occupation_code_confirmed) == ("4-02-06-01", True)
    vacancy.title = "快递分拣员（夜班）"
    vacancy = services.vacancy_save(actor=users["labour"], instance=vacancy)
    assert (vacancy.occupation_code, vacancy.occupation_code_confirmed) == ("4-02-06-01", True)
    # cleared: automatic again
    vacancy.occupation_code = ""
    vacancy = services.vacancy_save(actor=users["labour"], instance=vacancy)
    assert (vacancy.occupation_code, vacancy.occupation_code_confirmed) == (code("快递分拣员"), False)
    vacancy.occupation_code = "焊工"
    with pytest.raises(DomainError, match="职业编码格式不对"):
        services.vacancy_save(actor=users["labour"], instance=vacancy)


def test_a_profile_is_coded_from_desired_occupations_and_skills(users, regions):
    member = make_member(make_household(regions["comm_b1"]))
    seeker = services.seeker_register(actor=users["community_b1"], member=member, desired_occupations=["保洁"],
                                      skills="以前在饭店洗碗")
    assert seeker.occupation_codes == [code("保洁员"), code("洗碗工")] and not seeker.occupation_codes_confirmed
    seeker.occupation_codes = [code("客房服务员")]
    seeker = services.seeker_save(actor=users["community_b1"], instance=seeker)
    assert seeker.occupation_codes == [code("客房服务员")] and seeker.occupation_codes_confirmed


def test_the_labour_report_counts_vacancies_referrals_and_hires_by_code(users, regions):
    employer = make_employer(regions["town_b"])
    welding = [services.vacancy_create(actor=users["labour"], **vacancy_fields(employer, regions["town_b"]))
               for _ in range(2)]
    services.vacancy_create(actor=users["labour"], **vacancy_fields(
        employer, regions["town_b"], title="小区保洁员", occupation="保洁员", certificates=[]))
    member = make_member(make_household(regions["comm_b1"]))
    seeker = services.seeker_register(actor=users["community_b1"], member=member, skills="电焊")
    referral = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=welding[0])
    services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.HIRED,
                                     start_date=today(), monthly_earnings=Decimal("4500.00"))
    table = table_occupations(users["county"], regions["county"], today() - dt.timedelta(days=1), today())
    rows = {row[0]: row[1:] for row in table.rows}
    # two welding posts, one referral, one hire; one cleaning post
    assert rows[code("电焊工")] == ["电焊工", 2, 1, 1]
    assert rows[code("保洁员")] == ["保洁员", 1, 0, 0]
    assert table.rows[0][0] == code("电焊工")  # most posts first


def test_staff_see_and_correct_the_code_in_the_admin(client, users, regions):
    employer = make_employer(regions["town_b"])
    vacancy = services.vacancy_create(actor=users["labour"], **vacancy_fields(employer, regions["town_b"]))
    client.force_login(users["labour"])
    page = client.get(f"/admin/jobs/vacancy/edit/{vacancy.pk}/").content.decode()
    assert 'name="occupation_code"' in page and code("电焊工") in page
