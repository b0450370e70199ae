"""Amounts of money as French readers write them: "12 683 €", "1 250,50 €"."""

from decimal import Decimal, InvalidOperation

NBSP = "\u202f"  # narrow no-break space, the French thousands separator


def euros(value, *, cents: bool | None = None) -> str:
    """`cents=None` shows cents only when there are some."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if cents is None:
        cents = amount != amount.to_integral_value()
    text = f"{abs(amount):,.2f}" if cents else f"{abs(amount):,.0f}"
    text = text.replace(",", NBSP).replace(".", ",")
    sign = "−" if amount < 0 else ""
    return f"{sign}{text}{NBSP}€"
