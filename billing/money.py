"""Money as integer minor units and exact decimals. Never a binary float.

Quantities and rates arrive as JSON numbers. The parser hands them over as
`Decimal` (REST) or as `float` (MCP clients); both become the exact decimal the
sender wrote. Floats are safe here because the spec bounds quantities to 13
significant digits and rates to 7, well inside the 15 digits a float's
shortest repr reproduces exactly."""

from decimal import ROUND_HALF_UP, Decimal, localcontext

from billing.currencies import EXPONENTS, SYMBOLS

# JavaScript clients read JSON numbers as doubles: keep every total exact for them.
MAX_CENTS = 2**53 - 1


def to_decimal(number: int | float | Decimal) -> Decimal:
    if isinstance(number, Decimal):
        return number
    if isinstance(number, float):
        return Decimal(repr(number))
    return Decimal(number)


def to_json_number(number: Decimal) -> int | float:
    """The JSON form of an exact decimal: an int when whole, else the float whose
    shortest repr is that decimal (see the module note on bounds)."""
    integral = number.to_integral_value()
    return int(integral) if number == integral else float(number)


def round_half_up(value: Decimal) -> int:
    """Round to a whole number of minor units, halves away from zero."""
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def multiply(a: Decimal, b: Decimal) -> Decimal:
    """An exact product, whatever the size of the operands."""
    with localcontext(prec=200):
        return a * b


def percent_of(amount: int, rate: Decimal) -> int:
    if not rate:  # most lines carry no tax
        return 0
    with localcontext(prec=200):
        return round_half_up(Decimal(amount) * rate / 100)


def is_currency(code: str) -> bool:
    return code in EXPONENTS


def exponent(currency: str) -> int:
    return EXPONENTS[currency]


def format_amount(cents: int, currency: str) -> str:
    """'$2,500.00' for 250000 USD, '¥2,500' for 2500 JPY, 'KWD 1.250' for 1250 KWD."""
    places = exponent(currency)
    value = Decimal(abs(cents)).scaleb(-places)
    sign = "-" if cents < 0 else ""
    symbol = SYMBOLS.get(currency, currency + " ")
    return f"{sign}{symbol}{value:,.{places}f}"
