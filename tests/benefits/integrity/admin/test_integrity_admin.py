"""Integrity admin: every list, page and action scoped (in-jurisdiction 200, outside 404), forms call services."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from benefits.integrity.models import (
    CadreRelation,
    CadreRelative,
    DeathReport,
    FraudCase,
    FraudKind,
    FraudStatus,
    TipOff,
    TipOffStatus,
)
from benefits.integrity.services import (
    cadre_relative_register,
    death_report_receive,
    death_report_record,
    fraud_case_open,
    tip_off_submit,
)
from benefits.payroll.models import Overpayment
from reemployment.core.models import AuditEvent
from tests.benefits.payroll.factories import make_enrolment, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(regions, users):
    """One of each record in 定城镇 (town_a) and one in the other county."""
    here = make_household(regions["comm_a1"], members=2)
    make_enrolment(here)
    there = make_household(regions["other_county"], area="rural")
    member_here, member_there = here.members.order_by("id").first(), there.members.get()
    return {
        "cadre": cadre_relative_register(actor=users["county"], member=member_here, cadre_name="李主任",
                                         cadre_post="社区主任", relation=CadreRelation.SIBLING),
        "cadre_other": cadre_relative_register(actor=users["other_county"], member=member_there,
                                               cadre_name="赵", cadre_post="村会计", relation=CadreRelation.CHILD),
        "tip": tip_off_submit(text="这一户家里开店收入不低", household_number=here.number),
        "tip_other": tip_off_submit(text="这一户家里开店收入不低", household_number=there.number),
        "fraud": fraud_case_open(actor=users["county"], household=here, kind=FraudKind.WRONGFUL_PAYMENT,
                                 summary="冒领", amount_wrongly_paid=Decimal("300.00")),
        "fraud_other": fraud_case_open(actor=users["other_county"], household=there,
                                       kind=FraudKind.FALSE_CERTIFICATE, summary="假证明"),
        "death": death_report_record(actor=users["county"], member=here.members.order_by("id").last(),
                                     died_on=dt.date(2026, 3, 1)),
        "death_other": death_report_record(actor=users["other_county"], member=member_there,
                                           died_on=dt.date(2026, 3, 1)),
        "household": here,
    }


VIEWSETS = [
    ("integrity_cadres", "cadre", "cadre_other"),
    ("integrity_tip_offs", "tip", "tip_other"),
    ("integrity_fraud_cases", "fraud", "fraud_other"),
    ("integrity_deaths", "death", "death_other"),
]


@pytest.mark.parametrize("name, mine, theirs", VIEWSETS)
@pytest.mark.parametrize("user_key", ["county", "township_a", "community_a1"])
def test_lists_and_pages_are_scoped(client, users, records, name, mine, theirs, user_key):
    client.force_login(users[user_key])
    response = client.get(reverse(f"{name}:index"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [records[mine]]
    assert client.get(reverse(f"{name}:inspect", args=(records[mine].pk,))).status_code == 200
    assert client.get(reverse(f"{name}:inspect", args=(records[theirs].pk,))).status_code == 404


@pytest.mark.parametrize("name, mine", [(n, m) for n, m, _ in VIEWSETS])
def test_other_township_sees_nothing(client, users, records, name, mine):
    client.force_login(users["township_b"])
    assert list(client.get(reverse(f"{name}:index")).context["object_list"]) == []
    assert client.get(reverse(f"{name}:inspect", args=(records[mine].pk,))).status_code == 404


@pytest.mark.parametrize("name, action, key", [
    ("integrity_tip_offs", "assign", "tip"), ("integrity_tip_offs", "investigate", "tip"),
    ("integrity_tip_offs", "close", "tip"), ("integrity_fraud_cases", "decide", "fraud"),
])
def test_actions_outside_the_jurisdiction_are_404(client, users, records, name, action, key):
    client.force_login(users["other_county"])
    assert client.get(reverse(f"{name}:action", args=(records[key].pk, action))).status_code == 404
    assert client.post(reverse(f"{name}:action", args=(records[key].pk, action)), {}).status_code == 404


def test_tip_off_workflow_through_the_admin(client, users, records):
    tip = records["tip"]
    client.force_login(users["township_a"])
    url = reverse("integrity_tip_offs:action", args=(tip.pk, "assign"))
    form = client.get(url).context["form"]
    assert users["community_a1"] in form.fields["assignee"].queryset
    assert users["community_b1"] not in form.fields["assignee"].queryset  # other township
    assert client.post(url, {"assignee": users["community_a1"].pk}).status_code == 302
    client.force_login(users["community_a1"])
    assert client.post(reverse("integrity_tip_offs:action", args=(tip.pk, "investigate"))).status_code == 302
    # community staff may not close (403), the township may
    assert client.get(reverse("integrity_tip_offs:action", args=(tip.pk, "close"))).status_code == 403
    client.force_login(users["township_a"])
    response = client.post(reverse("integrity_tip_offs:action", args=(tip.pk, "close")),
                           {"outcome": "unsubstantiated", "findings": "入户核查，经营收入已申报"})
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipOffStatus.CLOSED and tip.outcome == "unsubstantiated" and tip.review is not None


def test_a_tip_off_is_found_by_the_reference_its_sender_quotes(client, users, records):
    tip = records["tip"]
    client.force_login(users["township_a"])
    response = client.get(reverse("integrity_tip_offs:index"), {"q": tip.reference})
    assert list(response.context["object_list"]) == [tip]
    assert tip.reference in response.content.decode()
    # Another township's staff do not find it by its reference.
    client.force_login(users["township_b"])
    assert list(client.get(reverse("integrity_tip_offs:index"), {"q": tip.reference}).context["object_list"]) == []


def test_staff_record_a_tip_off(client, users, records):
    client.force_login(users["community_a1"])
    url = reverse("integrity_tip_offs:create", args=("record",))
    form = client.get(url).context["form"]
    assert set(form.fields["region"].queryset.values_list("code", flat=True)) == {"341125100001"}
    response = client.post(url, {"region": records["household"].region.pk, "household_number": records["household"].number,
                                 "text": "来访举报：该户子女在外地有稳定工作", "anonymous": "on"})
    assert response.status_code == 302
    assert TipOff.objects.filter(channel="staff", household=records["household"]).exists()
    # a household outside the jurisdiction is not found
    other = make_household(users["township_b"].region.children.first() or users["township_b"].region)
    response = client.post(url, {"region": records["household"].region.pk, "household_number": other.number,
                                 "text": "来访举报：该户子女在外地有稳定工作"})
    assert response.status_code == 200 and "household_number" in response.context["form"].errors


def test_fraud_case_open_and_decide_through_the_admin(client, users, records):
    client.force_login(users["township_a"])
    response = client.post(reverse("integrity_fraud_cases:create", args=("open",)), {
        "household_number": records["household"].number, "kind": "wrongful_payment", "summary": "隐瞒收入",
        "amount_wrongly_paid": "500.00"})
    assert response.status_code == 302
    case = FraudCase.objects.get(summary="隐瞒收入")
    decide = reverse("integrity_fraud_cases:action", args=(case.pk, "decide"))
    assert client.get(decide).status_code == 403  # townships do not decide
    client.force_login(users["county"])
    # 3 × 500 = 1500.00 is the maximum; 1500.01 is refused
    response = client.post(decide, {"amount_wrongly_paid": "500.00", "serious": "on", "fine_amount": "1500.01",
                                     "decision": "追回并罚款"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(decide, {"amount_wrongly_paid": "500.00", "serious": "on", "fine_amount": "1500.00",
                                    "decision": "追回并罚款"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == FraudStatus.DECIDED and case.fine_amount == Decimal("1500.00")
    assert Overpayment.objects.get(pk=case.overpayment_id).amount == Decimal("500.00")


def test_death_report_through_the_admin(client, users, records):
    household = records["household"]
    head = household.members.order_by("id").first()
    client.force_login(users["community_b1"])
    url = reverse("integrity_deaths:create", args=("report",))
    response = client.post(url, {"member_id_number": head.id_number, "died_on": "2026-04-02"})
    assert response.status_code == 200 and "member_id_number" in response.context["form"].errors  # not theirs
    client.force_login(users["community_a1"])
    response = client.post(url, {"member_id_number": head.id_number, "died_on": "2026-04-02", "source": "殡葬"})
    assert response.status_code == 302
    report = DeathReport.objects.get(member=head)
    assert report.outcome == "ended" and report.stop_from == dt.date(2026, 5, 1)  # last member: ended from May


def test_monthly_death_list_filter(client, users, records):
    client.force_login(users["county"])
    month = records["death"].report_month
    response = client.get(reverse("integrity_deaths:index"), {"report_month": month.isoformat()})
    assert response.status_code == 200 and list(response.context["object_list"]) == [records["death"]]


def test_pending_deaths_are_shown_and_decided_in_the_admin(client, users, records, regions):
    household = make_household(regions["comm_a1"], members=2)
    make_enrolment(household)
    first, second = household.members.order_by("id")
    wrong = death_report_receive(actor="system:test", member=first, died_on=dt.date(2026, 3, 1),
                                 source="部门比对：公安死亡数据")
    true = death_report_receive(actor="system:test", member=second, died_on=dt.date(2026, 3, 2),
                                source="部门比对：公安死亡数据")
    client.force_login(users["community_a1"])
    index = client.get(reverse("integrity_deaths:index"))
    assert "待核实确认的部门比对死亡信息（2）" in index.text and "?status=pending" in index.text
    pending = client.get(reverse("integrity_deaths:index"), {"status": "pending"})
    assert set(pending.context["object_list"]) == {wrong, true}
    inspect = client.get(reverse("integrity_deaths:inspect", args=(wrong.pk,)))
    assert reverse("integrity_deaths:action", args=(wrong.pk, "confirm")) in inspect.text
    assert reverse("integrity_deaths:action", args=(wrong.pk, "reject")) in inspect.text
    # Rejecting needs a reason; then nothing else changes.
    reject = reverse("integrity_deaths:action", args=(wrong.pk, "reject"))
    response = client.post(reject, {"note": ""})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    assert client.post(reject, {"note": "入户核实本人健在"}).status_code == 302
    wrong.refresh_from_db()
    first.refresh_from_db()
    assert wrong.status == "rejected" and first.died_on is None
    # Confirming records the death.
    assert client.post(reverse("integrity_deaths:action", args=(true.pk, "confirm")), {"note": "殡葬记录"}).status_code == 302
    true.refresh_from_db()
    second.refresh_from_db()
    assert (true.status, true.outcome, second.died_on) == ("confirmed", "review", dt.date(2026, 3, 2))
    # Decided reports offer no action; nothing pending is left.
    assert client.get(reverse("integrity_deaths:action", args=(true.pk, "confirm"))).status_code == 403
    assert "待核实确认的部门比对死亡信息" not in client.get(reverse("integrity_deaths:index")).text


def test_pending_death_actions_are_scoped(client, users, records, regions):
    household = make_household(regions["comm_a1"])
    report = death_report_receive(actor="system:test", member=household.members.get(), died_on=dt.date(2026, 3, 1))
    for user_key in ("township_b", "other_county"):
        client.force_login(users[user_key])
        for action in ("confirm", "reject"):
            url = reverse("integrity_deaths:action", args=(report.pk, action))
            assert client.get(url).status_code == 404
            assert client.post(url, {"note": "x 驳回"}).status_code == 404
    client.force_login(users["editor"])
    assert client.post(reverse("integrity_deaths:action", args=(report.pk, "confirm")), {}).status_code in (302, 403, 404)
    report.refresh_from_db()
    assert report.status == "pending"


def test_cadre_registration_and_report(client, users, records):
    household = records["household"]
    member = household.members.order_by("id").first()
    client.force_login(users["community_a1"])
    response = client.post(reverse("integrity_cadres:create", args=("register",)), {
        "member_id_number": member.id_number, "relation": "spouse", "cadre_name": "周书记", "cadre_post": "村支书"})
    assert response.status_code == 302
    assert CadreRelative.objects.filter(cadre_name="周书记").exists()
    response = client.get(reverse("integrity_cadres:report"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "辖区"
    names = {r[5] for r in rows[2:-1]}
    assert names == {"李主任", "周书记"}  # not the other county's registration
    assert rows[-1] == ("合计", "2 人", None, None, None, None, None, None, None, None)
    assert AuditEvent.objects.filter(action="integrity.cadre_report_download", actor=users["community_a1"]).exists()
    client.force_login(users["editor"])
    assert client.get(reverse("integrity_cadres:report")).status_code in (302, 403)
