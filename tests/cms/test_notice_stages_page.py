"""The public notice pages list the township's notice ([R5] 三审核三公示: 审核结果公示) with the applications not
yet approved, each row labelled with its stage; the approved-list page does not."""

import datetime as dt

import pytest

from benefits.models import Application, ApplicationStep
from reemployment.core.models import today
from tests.benefits.factories import make_household

TODAY = today()


@pytest.fixture
def three_stages_on_notice(site, regions):
    """One application in each stage's notice today: 张大山 (community), 王小二 (township), 欧阳小明 (county)."""
    for number, (step, name) in enumerate([(ApplicationStep.NOTICE, "张大山"), (ApplicationStep.REVIEWED, "王小二"),
                                           (ApplicationStep.APPROVED, "欧阳小明")]):
        household = make_household(regions["comm_a1"], members=2)
        household.members.filter(relation="head").update(name=name)
        Application.objects.create(
            number=f"SQ-S-{number}", household=household, area="urban", step=step, submitted_on=TODAY,
            category="C", monthly_amount="220.00", persons=2, notice_start=TODAY,
            notice_end=TODAY + dt.timedelta(days=4),
            stages=[{"level": "community", "notice": True}, {"level": "township", "notice": True},
                    {"level": "county", "notice": True}],
        )


def _rows(client, url):
    return client.get(url).content.decode().split("<tbody>")[1].split("</tbody>")[0]


def test_the_township_notice_is_on_the_page_of_applications_not_yet_approved(client, three_stages_on_notice):
    rows = _rows(client, "/notices/appraisal-notice/")
    assert "张*山" in rows and "评议结果公示" in rows
    assert "王*二" in rows and "审核结果公示" in rows
    assert "欧**明" not in rows and "审批结果公示" not in rows


def test_the_approved_list_does_not_show_the_township_notice(client, three_stages_on_notice):
    rows = _rows(client, "/notices/public-notice/")
    assert "欧**明" in rows and "王*二" not in rows and "审核结果公示" not in rows


def test_a_page_listing_every_stage_labels_each_row(client, three_stages_on_notice):
    from cms.models import PublicNoticePage, PublicNoticeStages

    page = PublicNoticePage.objects.get(slug="public-notice", locale__language_code="zh-hans")
    page.stages = PublicNoticeStages.ALL
    page.save_revision().publish()
    rows = _rows(client, "/notices/public-notice/")
    assert all(label in rows for label in ("评议结果公示", "审核结果公示", "审批结果公示"))
    english = _rows(client, "/en/notices/appraisal-notice/")
    assert "王*二" in english and "Review result" in english and "审核结果公示" not in english
