"""Request validation against openapi.yaml with JSON Schema 2020-12 semantics,
shared by the REST door (through connexion) and the MCP door.

- JSON is parsed exactly: numbers with a fraction become `Decimal`, NaN and
  Infinity are refused, duplicate keys are refused, absurd nesting is a 400.
- Every failure is an `InvalidRequest` whose `field` is the JSON path of the
  offending value (`line_items[0].quantity`) and whose sentence says how to fix it.
"""

import difflib
import itertools
import json
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, DecimalException, Inexact, InvalidOperation

import jsonschema_rs
from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.exceptions import relevance

from billing.errors import InvalidRequest
from billing.money import to_decimal

# The spec's pattern for text: anything but NUL, which no backend stores.
NO_NUL = "^[^\\u0000]*$"

# Client text quoted in an error sentence or a `field` is cut to this many characters.
QUOTE_LIMIT = 100


def quoted(text, limit: int = QUOTE_LIMIT) -> str:
    """Client text as an error may quote it: a 1 MB field name is not sent back whole."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------- exact JSON

def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _refuse_duplicates(pairs: list) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set = set()
        duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise ValueError(f"the key {quoted(duplicate)!r} appears twice in one object")
    return obj


def _exact_number(text: str) -> int | Decimal:
    """JSON says 511.0 is the integer 511; anything else with a point stays an exact Decimal.
    Absurd exponents stay Decimal too, so 1e999999 never becomes a million-digit int."""
    number = Decimal(text)
    if number.is_finite() and number.adjusted() < 20 and number == number.to_integral_value():
        return int(number)
    return number


# An invoice is five levels deep; JSON nested further is not a request to us, and
# code that walks it (ours, jsonschema's, repr) must never meet a RecursionError.
MAX_DEPTH = 32
TOO_DEEP = f"The body is nested too deeply to be an invoice (more than {MAX_DEPTH} levels of arrays and objects)."


def _too_deep(value) -> bool:
    """Whether arrays and objects nest more than MAX_DEPTH deep, looked at level by level, without recursion."""
    level = [value] if isinstance(value, (dict, list)) else []
    for _ in range(MAX_DEPTH):
        level = [child for node in level for child in (node.values() if isinstance(node, dict) else node)
                 if isinstance(child, (dict, list))]
        if not level:
            return False
    return True


def _unpaired_surrogate(value) -> bool:
    """Half a UTF-16 pair anywhere, in a key or a value (json.dumps does the walking)."""
    try:
        json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse_json(raw: bytes):
    """The body as exact JSON values, or an InvalidRequest saying what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidRequest(f"The body is not valid UTF-8 (byte {error.start}); send UTF-8 encoded JSON.") from None
    try:
        body = json.loads(
            text,
            parse_float=_exact_number,
            parse_constant=_refuse_constant,
            object_pairs_hook=_refuse_duplicates,
        )
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise InvalidRequest(f"The body is not valid JSON: {error.msg} at {where}.") from None
    except RecursionError:
        raise InvalidRequest(TOO_DEEP) from None
    except ValueError as error:  # our refusals above, or an integer with thousands of digits
        reason = "a number has too many digits" if "digits" in str(error) else str(error)
        raise InvalidRequest(f"The body is not acceptable JSON: {reason}.") from None
    # Deep nesting needs many brackets, and only a \\uD8xx escape can smuggle in half
    # a character: look only when they are there.
    if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(body):
        raise InvalidRequest(TOO_DEEP)
    if "\\ud" in text.lower() and _unpaired_surrogate(body):
        raise InvalidRequest("The body contains an unpaired UTF-16 surrogate (\\uD800-\\uDFFF), which is not text.")
    return body


def exact_numbers(value):
    """MCP arguments arrive already parsed, with binary floats: make them exact."""
    if _too_deep(value):
        raise InvalidRequest(TOO_DEEP)
    return _exact(value)


def _exact(value):
    if isinstance(value, float):
        return _exact_number(repr(value))
    if isinstance(value, dict):
        return {key: _exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact(item) for item in value]
    return value


# ---------------------------------------------------------------- schemas

# Exact decimal arithmetic over the whole exponent range, where anything inexact is an
# error: the default context's Emin rounded 1e-999999999 to 0, a multiple of anything.
_EXACT = Context(prec=1000, Emin=MIN_EMIN, Emax=MAX_EMAX, traps=[InvalidOperation, Inexact])


def _multiple_of(validator, divisor, instance, schema):
    """multipleOf on exact decimals: 1.005 is a multiple of 0.001, as written."""
    if not validator.is_type(instance, "number"):
        return
    try:
        multiple = _EXACT.remainder(to_decimal(instance), to_decimal(divisor)).is_zero()
    except DecimalException:  # a quotient beyond 1000 digits: not something to accept
        multiple = False
    if not multiple:
        yield ValidationError(f"{instance} is not a multiple of {divisor}")


def _within(limit: str, descend):
    """A keyword that looks inside a container only when `limit` (maxItems, maxProperties)
    allows its size: 100,000 line items are one error, not 300,000."""

    def keyword(validator, value, instance, schema):
        if limit in schema and isinstance(instance, (list, dict)) and len(instance) > schema[limit]:
            return
        yield from descend(validator, value, instance, schema)

    return keyword


def _at_most(kind: str, unit: str):
    """maxItems, maxLength, maxProperties without jsonschema's message, which quotes
    the whole oversized value (a 300 KB array's repr). `describe` writes the sentence."""

    def keyword(validator, limit, instance, schema):
        if validator.is_type(instance, kind) and len(instance) > limit:
            yield ValidationError(f"has {len(instance)} {unit}, more than {limit}")

    return keyword


_KEYWORDS = Draft202012Validator.VALIDATORS


def _additional_properties(validator, allowed, instance, schema):
    """additionalProperties: false without jsonschema's message, which lists every
    unexpected name; `describe` names the first."""
    if allowed is False and "patternProperties" not in schema:
        named = schema.get("properties", {})
        if validator.is_type(instance, "object") and any(name not in named for name in instance):
            yield ValidationError("has properties the schema does not name")
        return
    yield from _KEYWORDS["additionalProperties"](validator, allowed, instance, schema)


SchemaValidator = validators.extend(Draft202012Validator, {
    "multipleOf": _multiple_of,
    "maxItems": _at_most("array", "items"),
    "maxLength": _at_most("string", "characters"),
    "maxProperties": _at_most("object", "properties"),
    "items": _within("maxItems", _KEYWORDS["items"]),
    "prefixItems": _within("maxItems", _KEYWORDS["prefixItems"]),
    "properties": _within("maxProperties", _KEYWORDS["properties"]),
    "additionalProperties": _within("maxProperties", _additional_properties),
})


_compiled: dict[int, tuple] = {}


def _compiled_for(schema: dict) -> tuple:
    """(schema, the validator that explains, the quick one or None), once per schema
    object. Schemas here live as long as the app (they come from the loaded spec), so
    their identity is a safe key; the schema is kept alongside so its id is never reused."""
    entry = _compiled.get(id(schema))
    if entry is None:
        validator = SchemaValidator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        try:
            quick = jsonschema_rs.validator_for(schema, validate_formats=True)
        except (ValueError, jsonschema_rs.ValidationError):
            quick = None
        entry = _compiled[id(schema)] = (schema, validator, quick)
    return entry


def validator_for(schema: dict):
    return _compiled_for(schema)[1]


def _holds_decimal(value) -> bool:
    """Whether an exact decimal is anywhere in `value`."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, Decimal):
            return True
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _surely_valid(quick, value) -> bool:
    """jsonschema-rs checks the same Draft 2020-12 schema forty times faster, so a
    valid value costs microseconds. It reads an exact decimal such as 1E+25 as the
    integer it equals, where JSON Schema (and we) see a number, so values holding a
    decimal, and everything it refuses, go to the validator that explains."""
    if quick is None or _holds_decimal(value):
        return False
    try:
        return quick.is_valid(value)
    except ValueError:  # a value it cannot read
        return False


def check(schema: dict, value, *, field: str | None = None, hints: dict | None = None) -> None:
    """Raise InvalidRequest for the most relevant way `value` breaks `schema`.
    `field` prefixes paths (a parameter's name); `hints` is the response schema
    whose `x-how-to-change` notes explain read-only fields sent by mistake."""
    _, validator, quick = _compiled_for(schema)
    if _surely_valid(quick, value):
        return
    error = _most_relevant(validator.iter_errors(value))
    if error is not None:
        raise InvalidRequest(*describe(error, hints, prefix=field))


# ---------------------------------------------------------------- sentences

# Errors come lazily; a body with thousands of mistakes is judged by its first ones.
ERRORS_CONSIDERED = 100


def _most_relevant(errors):
    """The shallowest, strongest of the first errors; unlike jsonschema's best_match
    it does not guess inside anyOf/oneOf, which `describe` does with more care."""
    return max(itertools.islice(errors, ERRORS_CONSIDERED), key=relevance, default=None)


def join(*parts) -> str | None:
    """JSON path text: ('line_items', 0, 'quantity') → 'line_items[0].quantity'."""
    text = ""
    for part in parts:
        if part is None or part == "":
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{quoted(part)}" if text else quoted(part)
    return text or None


_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null",
               int: "an integer", float: "a number", Decimal: "a number"}
_TYPE_WORDS = {"object": "an object", "array": "an array", "string": "a string", "boolean": "true or false",
               "integer": "an integer", "number": "a number", "null": "null"}


def _type_words(expected) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    return " or ".join(_TYPE_WORDS.get(name, name) for name in names)


def _decimal_places(divisor) -> int:
    exponent = to_decimal(divisor).normalize().as_tuple().exponent
    return max(0, -int(exponent))  # finite: the spec's multipleOf values are numbers


def _branch_of(error: ValidationError) -> int:
    return error.relative_schema_path[0]


def _meant_branches(error: ValidationError) -> dict:
    """For anyOf/oneOf: the branches the client plausibly meant, with their errors.
    A branch is ruled out when the value has the wrong type for it, or when a
    discriminating constant (`"type": "flat"`) does not match."""
    branches: dict[int, list] = {}
    for sub in error.context:
        branches.setdefault(_branch_of(sub), []).append(sub)
    meant = {}
    for index, errors in branches.items():
        wrong_type = any(e.validator == "type" and not e.relative_path for e in errors)
        wrong_kind = any(e.validator in ("const", "enum") and len(e.relative_path) == 1 for e in errors)
        if not (wrong_type or wrong_kind):
            meant[index] = errors
    return meant


def _read_only_hint(hints: dict | None, path: list, name: str) -> str | None:
    schema = hints
    for part in [*path, name]:
        if not isinstance(schema, dict):
            return None
        for branch in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
            if isinstance(branch, dict) and branch.get("type") != "null":
                schema = branch
                break
        schema = schema.get("items") if isinstance(part, int) else schema.get("properties", {}).get(part)
    return schema.get("x-how-to-change") if isinstance(schema, dict) and schema.get("readOnly") else None


def _unknown_field(error: ValidationError, hints, path: list) -> tuple[str, str | None]:
    known = list(error.schema.get("properties", {}))
    extras = [name for name in error.instance if name not in known]
    name = extras[0]
    field = join(*path, name)
    hint = _read_only_hint(hints, path, name)
    if hint:
        return f"{field} is read-only; {hint}.", field
    where = f" in {join(*path)}" if path else ""
    # A name much longer than any known one is no typo of it (and difflib would take its time).
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6) if len(name) <= QUOTE_LIMIT else []
    advice = f"did you mean '{close[0]}'?" if close else f"the fields here are: {', '.join(known)}."
    return f"Unknown field '{quoted(name)}'{where}; {advice}", field


_FORMATS = {"date": "a date like 2026-06-01", "email": "an email address like ap@acme.com"}

# One sentence per JSON Schema keyword: (subject, the keyword's value, the error) → text.
_SENTENCES = {
    "type": lambda s, v, e: f"{s} must be {_type_words(v)}, not {_JSON_TYPES.get(type(e.instance), 'that')}.",
    "minimum": lambda s, v, e: f"{s} must be at least {v}.",
    "maximum": lambda s, v, e: f"{s} must be at most {v}.",
    "exclusiveMinimum": lambda s, v, e: f"{s} must be greater than {v}.",
    "exclusiveMaximum": lambda s, v, e: f"{s} must be less than {v}.",
    "multipleOf": lambda s, v, e: f"{s} may have at most {_decimal_places(v)} decimal places.",
    "minLength": lambda s, v, e: f"{s} must not be empty." if v == 1 else f"{s} needs at least {v} characters.",
    "maxLength": lambda s, v, e: f"{s} is too long: at most {v} characters.",
    "minItems": lambda s, v, e: f"{s} needs at least {v} item{'s' if v > 1 else ''}.",
    "maxItems": lambda s, v, e: f"{s} has too many items: at most {v}.",
    "enum": lambda s, v, e: f"{s} must be one of: {', '.join(map(str, v))}.",
    "const": lambda s, v, e: f"{s} must be {json.dumps(v)}.",
    "format": lambda s, v, e: f"{s} must be {_FORMATS.get(v, 'a valid ' + v)}.",
    "pattern": lambda s, v, e: (
        f"{s} contains a NUL character (\\u0000), which text may not hold." if v == NO_NUL
        else f"{s} must look like {e.schema['examples'][0]}." if e.schema.get("examples")
        else f"{s} is not in the expected form."),
}


def describe(error: ValidationError, hints: dict | None = None, prefix: str | None = None) -> tuple[str, str | None]:
    """A sentence for a person or an agent, and the JSON path it is about
    (below `prefix`, the name of a parameter, when there is one)."""
    path = [prefix, *error.absolute_path] if prefix else list(error.absolute_path)
    field = join(*path)
    subject = field or "The body"
    kind, value = error.validator, error.validator_value

    if kind in ("anyOf", "oneOf"):
        meant = _meant_branches(error)
        if len(meant) == 1:
            (errors,) = meant.values()
            return describe(_most_relevant(errors), hints, prefix)
        alternatives = [e.validator_value for e in error.context if e.validator == "required"]
        if alternatives and len(alternatives) == len(error.context):
            names = [join(*path, names[0]) for names in alternatives]
            return f"Send {' or '.join(names)} (or both).", names[0]
        shape = error.schema.get("description", "")
        return f"{subject} does not have an accepted shape. {shape}".strip(), field
    if kind == "additionalProperties":
        return _unknown_field(error, hints, path)
    if kind == "required":
        missing = next(name for name in value if name not in error.instance)
        # A conditional requirement explains itself in its schema's description.
        return error.schema.get("description", f"{join(*path, missing)} is required."), join(*path, missing)
    if kind in _SENTENCES:
        return _SENTENCES[kind](subject, value, error), field
    return f"{subject}: {quoted(error.message, 2 * QUOTE_LIMIT)}.", field
