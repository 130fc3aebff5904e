"""The admin follows an application's review and notice stages: it shows them, the township's review form
says it posts a notice, and the county's decision buttons appear only after the township's notice."""

import datetime as dt

from django.urls import reverse

from benefits import services
from benefits.models import ApplicationStep
from reemployment.core.models import today
from tests.benefits.factories import add_policy

R5 = [{"level": "community", "notice": True}, {"level": "township", "notice": True, "notice_days": 5},
      {"level": "county", "notice": True}]


def _at_community_notice(users, household, start):
    community = users["community_a1"]
    application = services.application_submit(actor=community, household=household, submitted_on=start)
    verified = {item.pk: item.monthly_amount for item in household.incomes.all()}
    application = services.application_survey(actor=community, application=application, findings="属实",
                                              verified_incomes=verified, on=start)
    application = services.application_appraise(actor=community, application=application, group=["甲", "乙", "丙"],
                                                votes_for=3, votes_against=0, on=start)
    return services.application_post_notice(actor=community, application=application, on=start)


def test_three_notices_through_the_admin(client, users, policy, urban_household):
    start = today() - dt.timedelta(days=10)  # the community notice (7 days) is over
    add_policy(policy["county"], valid_from=start, values={"application_stages": R5})
    application = _at_community_notice(users, urban_household, start)
    inspect_url = reverse("benefit_applications:inspect", args=(application.pk,))
    review_url = reverse("benefit_applications:action", args=(application.pk, "review"))
    approve_url = reverse("benefit_applications:action", args=(application.pk, "approve"))

    client.force_login(users["township_a"])
    inspect = client.get(inspect_url).content.decode()
    assert "社区/村评议并公示 → 乡镇/街道审核并公示5天 → 县级审批并公示" in inspect
    assert review_url in inspect
    assert "审核后即张榜公示" in client.get(review_url).content.decode()
    response = client.post(review_url, {"opinion": "入户复核属实", "agree": "on", "expected_step": "notice"})
    assert response.status_code == 302, response.context["form"].errors
    application.refresh_from_db()
    # the township's notice runs today + 5 − 1
    assert (application.step, application.notice_start, application.notice_end) == (
        ApplicationStep.REVIEWED, today(), today() + dt.timedelta(days=4))

    client.force_login(users["county"])
    inspect = client.get(inspect_url).content.decode()
    assert approve_url not in inspect  # not while the township's notice runs
    assert reverse("benefit_applications:action", args=(application.pk, "objection")) in inspect
    response = client.post(approve_url, {"reason": "符合条件", "expected_step": "reviewed"})
    # posted anyway (a stale page): the service refuses and the form says until when the notice runs
    assert response.status_code == 200 and "期满后方可办理" in response.content.decode()
    application.refresh_from_db()
    assert application.step == ApplicationStep.REVIEWED


def test_the_default_stages_are_shown_and_the_review_form_says_nothing_of_a_notice(client, users, policy,
                                                                                  urban_household):
    application = _at_community_notice(users, urban_household, today() - dt.timedelta(days=10))
    client.force_login(users["township_a"])
    inspect = client.get(reverse("benefit_applications:inspect", args=(application.pk,))).content.decode()
    assert "社区/村评议并公示 → 乡镇/街道审核 → 县级审批并公示" in inspect
    form = client.get(reverse("benefit_applications:action", args=(application.pk, "review"))).content.decode()
    assert "审核后即张榜公示" not in form
