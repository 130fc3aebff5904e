"""Money helpers: yuan as ``Decimal`` with one rounding rule.

Policy (DESIGN.md §2): amounts are computed in full precision and only the final
household monthly amount is rounded, half-up, to 0.01 yuan (分).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_decimal(value: object) -> Decimal:
    """Turn a string, int or Decimal into a Decimal; refuse floats (they are not exact)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, float)):
        raise TypeError(f"money must not be a {type(value).__name__}: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"not an amount: {value!r}") from exc
        if not result.is_finite():
            raise ValueError(f"not a finite amount: {value!r}")
        return result
    raise TypeError(f"cannot read {value!r} as money")


def round_yuan(value: Decimal) -> Decimal:
    """Round to 0.01 yuan, half-up (0.005 → 0.01). The one rounding rule for money."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_yuan(value: Decimal) -> str:
    """Money as the API shows it: a string with exactly two decimals."""
    return f"{round_yuan(value):.2f}"
