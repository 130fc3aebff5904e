"""Fine bounds for fraud cases (罚款) — pure rules, DESIGN.md §2 Integrity, [R2].

* Wrongful payment (骗取低保金): the amount is recovered; a *serious* case may be fined between
  ``fraud_fine_multiplier_min`` and ``fraud_fine_multiplier_max`` times the amount wrongly paid
  (defaults 1× and 3×, both bounds allowed). A case that is not serious carries no fine.
* False certificate (出具虚假证明): a fine of at most ``false_certificate_fine_max`` (default 1,000 yuan).

No Django, no database, no clock: the parameters are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reemployment.money import round_yuan

WRONGFUL_PAYMENT = "wrongful_payment"
FALSE_CERTIFICATE = "false_certificate"


def gettext_noop(message: str) -> str:
    """Marks a message for ``makemessages`` (benefits/locale) without importing Django: the service
    that reports a :class:`FineError` translates it in the request's language."""
    return message


@dataclass(frozen=True)
class FineError:
    """Why a fine is refused: ``message`` is the Chinese msgid, ``values`` fill its %(name)s fields."""

    message: str
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message % self.values


@dataclass(frozen=True)
class FineBounds:
    minimum: Decimal
    maximum: Decimal


def fine_bounds(*, kind: str, serious: bool, amount_wrongly_paid: Decimal, multiplier_min: Decimal,
                multiplier_max: Decimal, false_certificate_max: Decimal) -> FineBounds:
    """The allowed fine range for a case (yuan, rounded half-up to 0.01)."""
    if kind == FALSE_CERTIFICATE:
        return FineBounds(Decimal("0.00"), round_yuan(false_certificate_max))
    if kind != WRONGFUL_PAYMENT:
        raise ValueError(f"unknown case kind {kind!r}")
    if not serious:
        return FineBounds(Decimal("0.00"), Decimal("0.00"))
    return FineBounds(round_yuan(amount_wrongly_paid * multiplier_min), round_yuan(amount_wrongly_paid * multiplier_max))


def fine_errors(*, kind: str, serious: bool, amount_wrongly_paid: Decimal, fine: Decimal, multiplier_min: Decimal,
                multiplier_max: Decimal, false_certificate_max: Decimal) -> list[FineError]:
    """Why a fine is not allowed (empty when it is), as untranslated :class:`FineError`s."""
    if fine < 0:
        return [FineError(gettext_noop("罚款不能为负"))]
    if kind == WRONGFUL_PAYMENT and amount_wrongly_paid <= 0:
        return [FineError(gettext_noop("骗取低保金案件须填写违规领取金额"))]
    bounds = fine_bounds(kind=kind, serious=serious, amount_wrongly_paid=amount_wrongly_paid,
                         multiplier_min=multiplier_min, multiplier_max=multiplier_max,
                         false_certificate_max=false_certificate_max)
    if kind == WRONGFUL_PAYMENT and not serious:
        if fine != 0:
            return [FineError(gettext_noop("情节不严重的案件不处罚款，只追回"))]
        return []
    if kind == WRONGFUL_PAYMENT and fine == 0:
        return []  # a serious case may still be decided without a fine
    if fine < bounds.minimum or fine > bounds.maximum:
        return [FineError(gettext_noop("罚款应在 %(minimum)s 至 %(maximum)s 元之间"),
                          {"minimum": bounds.minimum, "maximum": bounds.maximum})]
    return []
