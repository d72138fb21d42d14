"""Check a form's answers against its rules (``schemas.py``); the same rules as ``forms.js``.

Two ways in: ``raw_from_form`` (HTML form fields) and ``raw_from_json`` (the JSON API), both
giving ``Raw`` answers of strings and lists of strings. ``validate`` returns the cleaned data
to store and at most one ``FieldError`` per field, in the order of the questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from socialvalue.intake.choices import Choices
from socialvalue.intake.delivery import check_contracts
from socialvalue.intake.schemas import HONEYPOT, FieldRule, FormSpec

Raw = dict[str, str | list[str]]
DATE_PARTS = ("day", "month", "year")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class FieldError:
    """One problem with one answer: ``field`` is the question's name (None: the whole request)."""

    field: str | None
    message: str

    def as_json(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message}


@dataclass(frozen=True)
class Outcome:
    data: dict[str, Any]
    errors: tuple[FieldError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def raw_from_form(spec: FormSpec, items: Iterable[tuple[str, str]]) -> Raw:
    """Answers from form fields; a date comes from its ``-day``, ``-month`` and ``-year`` parts."""
    pairs = list(items)
    first: dict[str, str] = {}
    for key, value in pairs:
        first.setdefault(key, value)
    raw: Raw = {}
    if HONEYPOT in first:
        raw[HONEYPOT] = first[HONEYPOT]
    for rule in spec.fields:
        if rule.type == "array":
            raw[rule.name] = [value for key, value in pairs if key == rule.name]
        elif rule.type == "date" and rule.name not in first:
            parts = [tidy(first.get(f"{rule.name}-{part}", "")) for part in DATE_PARTS]
            for part, value in zip(DATE_PARTS, parts, strict=True):
                raw[f"{rule.name}-{part}"] = value
            raw[rule.name] = "" if not any(parts) else f"{parts[2]}-{parts[1]}-{parts[0]}"
        elif rule.name in first:
            raw[rule.name] = first[rule.name]
    return raw


def raw_from_json(spec: FormSpec, body: Mapping[str, Any]) -> tuple[Raw, list[FieldError]]:
    """Answers from a JSON object whose numbers were parsed as strings; unknown keys ignored."""
    raw: Raw = {}
    errors: list[FieldError] = []
    honeypot = body.get(HONEYPOT)
    if isinstance(honeypot, str):
        raw[HONEYPOT] = honeypot
    for rule in spec.fields:
        value = body.get(rule.name)
        if value is None:
            continue
        converted = _from_json_value(rule, value)
        if converted is None:
            kind = "a list of ids" if rule.type == "array" else "a single value"
            errors.append(FieldError(rule.name, f"{rule.label}: send {kind}"))
        else:
            raw[rule.name] = converted
    return raw, errors


def _from_json_value(rule: FieldRule, value: Any) -> str | list[str] | None:
    if isinstance(value, bool):
        value = (rule.true_values if value else rule.false_values)[0]
    if rule.type == "array":
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        return None
    return value if isinstance(value, str) else None


def validate(spec: FormSpec, raw: Raw, choices: Choices, today: date | None = None) -> Outcome:
    """Check every answer; ``data`` holds the cleaned answers of the questions that passed.

    `today` is the day a date must not be after (delivery forms); None checks no such date."""
    data: dict[str, Any] = {}
    errors: list[FieldError] = []
    for rule in spec.fields:
        if rule.required_when and not _holds(rule.required_when, data):
            continue
        value, message = check(rule, raw.get(rule.name, ""), data, choices)
        if message:
            errors.append(FieldError(rule.name, message))
        elif value is not None:
            data[rule.name] = value
    errors += _welcomed(spec, data, choices)
    if not errors and spec.kind.slug == "charter" and data.get("commitments_scope") == "all":
        data["commitments"] = [option.id for option in choices.charter]
    for name, message in check_contracts(spec, data, choices, today):
        data.pop(name, None)
        errors.append(FieldError(name, message))
    order = [rule.name for rule in spec.fields]
    errors.sort(key=lambda error: order.index(error.field) if error.field in order else -1)
    return Outcome(data, tuple(errors))


def _welcomed(spec: FormSpec, data: dict[str, Any], choices: Choices) -> list[FieldError]:
    """A measure must be one the chosen organisation welcomes (``sv:welcomedBy``)."""
    found = []
    for rule in spec.fields:
        organisation = data.get(rule.welcomed_by) if rule.welcomed_by else None
        welcomed = choices.welcomed(organisation) if organisation else None
        if welcomed is not None and rule.name in data and data[rule.name] not in welcomed:
            found.append(FieldError(rule.name, rule.messages["welcomed"]))
            del data[rule.name]
    return found


def _holds(condition: tuple[str, str], data: Mapping[str, Any]) -> bool:
    return data.get(condition[0]) == condition[1]


def check(
    rule: FieldRule, value: str | list[str], data: Mapping[str, Any], choices: Choices
) -> tuple[Any, str | None]:
    """One answer: (cleaned value or None when empty, error message or None)."""
    if rule.type == "array":
        items = value if isinstance(value, list) else [value]
        return _check_array(rule, items, choices)
    text = _normalise(rule, tidy(value if isinstance(value, str) else ""))
    if text == "":
        required = rule.required or rule.required_when is not None
        return None, rule.messages["required"] if required else None
    checker = {
        "string": _check_string,
        "number": _check_number,
        "date": _check_date,
        "boolean": _check_boolean,
    }[rule.type]
    return checker(rule, text, data, choices)


def tidy(text: str) -> str:
    """Trim, use \\n for new lines and drop control characters (null bytes and the like)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _normalise(rule: FieldRule, text: str) -> str:
    if "nospace" in rule.normalise:
        text = re.sub(r"\s+", "", text)
    if "upper" in rule.normalise:
        text = text.upper()
    return text


def _check_string(
    rule: FieldRule, text: str, data: Mapping[str, Any], choices: Choices
) -> tuple[Any, str | None]:
    c, m = rule.constraints, rule.messages
    if "maxLength" in c and len(text) > c["maxLength"]:
        return None, m["maxLength"]
    if "minLength" in c and len(text) < c["minLength"]:
        return None, m["minLength"]
    if "pattern" in c and not re.fullmatch(c["pattern"], text):
        return None, m["pattern"]
    if "enum" in c and text not in c["enum"]:
        return None, m["enum"]
    if rule.choices and text not in choices.ids(rule.choices):
        return None, m["choice"]
    return text, None


def _check_number(
    rule: FieldRule, text: str, data: Mapping[str, Any], choices: Choices
) -> tuple[Any, str | None]:
    c, m = rule.constraints, rule.messages
    text = re.sub(r"[\s,£]", "", text)
    if len(text) > 40 or not _NUMBER.fullmatch(text):
        return None, m["type"]
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None, m["type"]
    if "exclusiveMinimum" in c and number <= Decimal(str(c["exclusiveMinimum"])):
        return None, m["exclusiveMinimum"]
    if "minimum" in c and number < Decimal(str(c["minimum"])):
        return None, m["minimum"]
    if "maximum" in c and number > Decimal(str(c["maximum"])):
        return None, m["maximum"]
    whole = number == number.to_integral_value()
    if rule.whole_when and data.get(rule.whole_when) in choices.whole_measures() and not whole:
        return None, m["whole"]
    return (int(number) if whole else float(number)), None


def _check_date(
    rule: FieldRule, text: str, data: Mapping[str, Any], choices: Choices
) -> tuple[Any, str | None]:
    found = _DATE.fullmatch(text)
    try:
        when = date(int(found[1]), int(found[2]), int(found[3])) if found else None
    except ValueError:
        when = None
    if when is None or not 1900 <= when.year <= 2200:
        return None, rule.messages["type"]
    other = data.get(rule.not_before) if rule.not_before else None
    if other and when < date.fromisoformat(other):
        return None, rule.messages["notBefore"]
    return when.isoformat(), None


def _check_boolean(
    rule: FieldRule, text: str, data: Mapping[str, Any], choices: Choices
) -> tuple[Any, str | None]:
    if text in rule.true_values:
        return True, None
    if text in rule.false_values:
        return False, None
    return None, rule.messages.get("type") or rule.messages["required"]


def _check_array(rule: FieldRule, items: list[str], choices: Choices) -> tuple[Any, str | None]:
    seen: list[str] = []
    for item in (tidy(i) for i in items):
        if item and item not in seen:
            seen.append(item)
    if not seen:
        required = rule.required or rule.required_when is not None
        return None, rule.messages["required"] if required else None
    if rule.choices:
        valid = choices.ids(rule.choices)
        if any(item not in valid for item in seen):
            return None, rule.messages["choice"]
    return seen, None


def prefill(spec: FormSpec, query: Mapping[str, str], choices: Choices) -> Raw:
    """Answers pre-filled from a link ?measure=..&organisation=..&commitment=.. (known ids only).

    An organisation fills an update request with its current entry, and keeps a pledge's measure
    only when the organisation welcomes it.
    """
    values: Raw = {}
    names = {rule.name for rule in spec.fields}
    measure, organisation = query.get("measure", ""), query.get("organisation", "")
    commitment = query.get("commitment", "")
    if "measure" in names and measure in choices.ids("measures"):
        values["measure"] = measure
    if "measures" in names and measure in choices.ids("measures"):
        values["measures"] = [measure]
    if "organisation" in names and organisation in choices.ids("organisations"):
        values["organisation"] = organisation
        entry = choices.entries.get(organisation)
        if "request_type" in names and entry:  # an update arrives with the entry as it is now
            values.update(entry.answers())
        welcomed = choices.welcomed(organisation) or ()
        if values.get("measure") not in welcomed:
            values.pop("measure", None)
    if "commitments" in names and commitment in choices.ids("charter"):
        values["commitments_scope"] = "chosen"
        values["commitments"] = [commitment]
    return values | _prefill_contract(names, query, choices)


def _prefill_contract(names: set[str], query: Mapping[str, str], choices: Choices) -> Raw:
    """?contract=<reference>&commitment=<id>&update=<id>, from a contract's page (known only)."""
    contract = choices.contract(query.get("contract", "")) if "contract" in query else None
    if "contract_reference" not in names or contract is None:
        return {}
    values: Raw = {"contract_reference": contract.reference}
    commitment = contract.commitment(query.get("commitment", ""))
    if "commitment" in names and commitment is not None:
        values["commitment"] = commitment.id
    update = contract.update(query.get("update", ""))
    if "update" in names and update is not None:
        values["update"] = update.id
    return values
