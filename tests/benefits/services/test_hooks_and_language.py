"""benefits.hooks (how higher apps take part without benefits importing them), the one enrolment
transition helper's guard, and error messages in one language chosen by the request."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from benefits import hooks, services
from benefits.models import EnrolmentEvent, EnrolmentEventKind, EnrolmentStatus
from reemployment.core.errors import Conflict, DomainError, PermissionDenied


def _enrol(household):
    return services.enrolment_start(actor="system:test", household=household, category="C",
                                    monthly_amount=Decimal("220.00"), persons=2, start_date=dt.date(2026, 1, 1),
                                    certificate_number=f"T-{household.pk}")


def test_incentives_fills_the_fast_track_hook():
    assessor = hooks._fast_track_assessor  # incentives.services (wherever the incentives app lives)
    assert assessor.__name__ == "fast_track_assess" and assessor.__module__.endswith("incentives.services")


def test_checks_fills_the_death_source_hook():
    from benefits.integrity.services import FLAG_SOURCE

    assert FLAG_SOURCE in hooks._death_source_settlers


def test_without_an_assessor_the_bare_rule_decides(urban_household, monkeypatch):
    monkeypatch.setattr(hooks, "_fast_track_assessor", None)
    inside = hooks.fast_track_assess(actor="system:test", household=urban_household, job_start=dt.date(2025, 6, 1),
                                     job_end=dt.date(2025, 12, 31), as_of=dt.date(2026, 1, 15))
    assert inside["eligible"] and inside["rule_application"] is None
    outside = hooks.fast_track_assess(actor="system:test", household=urban_household, job_start=dt.date(2024, 1, 1),
                                      job_end=dt.date(2025, 6, 30), as_of=dt.date(2026, 1, 15))
    assert not outside["eligible"]


def test_an_unknown_death_source_is_ignored_and_a_registered_one_called(monkeypatch):
    calls = []
    monkeypatch.setattr(hooks, "_death_source_settlers", {})
    hooks.settle_death_source(actor="system:test", source_type="nowhere", source_id="1", note="x")
    hooks.register_death_source_settler("here", lambda **kwargs: calls.append(kwargs))
    hooks.settle_death_source(actor="system:test", source_type="here", source_id="7", note="ok")
    assert calls == [{"actor": "system:test", "source_id": "7", "note": "ok"}]


def test_every_transition_writes_one_event_and_is_guarded(users, urban_household):
    enrolment = _enrol(urban_household)
    with pytest.raises(PermissionDenied):
        services.enrolment_suspend(actor=users["township_a"], enrolment=enrolment, reason="核查")
    services.enrolment_suspend(actor=users["county"], enrolment=enrolment, reason="核查")
    services.enrolment_resume(actor=users["county"], enrolment=enrolment, reason="核查完毕")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    kinds = list(EnrolmentEvent.objects.filter(enrolment=enrolment).order_by("id").values_list("kind", flat=True))
    assert kinds == [EnrolmentEventKind.ENTRY, EnrolmentEventKind.SUSPENSION, EnrolmentEventKind.RESUMPTION]


def test_errors_speak_the_language_of_the_request(users, urban_household):
    enrolment = _enrol(urban_household)
    with pytest.raises(DomainError) as chinese:
        services.enrolment_suspend(actor=users["county"], enrolment=enrolment, reason=" ")
    assert chinese.value.message == "请填写原因"
    with translation.override("en"), pytest.raises(DomainError) as english:
        services.enrolment_suspend(actor=users["county"], enrolment=enrolment, reason=" ")
    assert english.value.message == "give the reason"
    with translation.override("en"), pytest.raises(Conflict) as english:
        services.enrolment_resume(actor=users["county"], enrolment=enrolment, reason="x")
    assert english.value.message == "only a suspended enrolment can be resumed"
