"""Stage 2d (continued): the checks on contracts that look at their progress, their audit, and
at every contract together. They run on contracts whose items are well formed (`contracts.py`).

Errors, double counting (a delivery counts once):
- the same delivery (same organisation, measure, date and quantity) claimed under two
  contracts, or under two commitments of one contract (only deliveries that name the
  receiving organisation can be compared);
- one update listed twice: the same id, or the same date, commitment, quantity and description;
- one update confirmed twice (two confirmations of the same update).
Error: a grace period has ended (grace_until before today) and nothing was put right: the
outcome is still not-met or double-counted and there is no update for that commitment after
the audit. With such an update, a warning asks for the commitment to be audited again.

Warnings: more reported than committed; a running contract (start <= today <= end) with
something still to deliver (a commitment whose reported quantity is below its quantum) and no
update within `reporting_interval_months` (counted from the latest update, or from the start);
a contract with commitments past its end date without an audit; an audit with no outcome for
a commitment; a contract at or over `threshold_gbp` with no commitments;
a partner's annual report dated more than 12 months before today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal

from .contract_model import NOT_MET, Contract, ProgressUpdate
from .dates import months_before
from .problems import Problem
from .tables import Record, TypedTable

Tables = Mapping[str, TypedTable]
Checked = list[tuple[Record, Contract]]
DEFAULT_INTERVAL = 3
ANNUAL_REPORT_MONTHS = 12
COUNTS_ONCE = "a delivery counts once"


def _error(record: Record, key: str, message: str, hint: str | None = None) -> Problem:
    return Problem(record.path, record.line(key), key, message, hint)


def _warning(record: Record, key: str, message: str, hint: str | None = None) -> Problem:
    return Problem(record.path, record.line(key), key, message, hint, "warning")


def amount(number: Decimal) -> str:
    """12, 12.5 or 1,200: a quantity as people write it."""
    text = f"{number.normalize():,f}"
    return text.removesuffix(".0") if "." in text else text


def contract_set_problems(tables: Tables, contracts: Checked, today: dt.date) -> list[Problem]:
    table = tables.get("settings")
    settings = table.records[0] if table and table.records else None  # none: reported elsewhere
    interval = settings.get("reporting_interval_months", DEFAULT_INTERVAL) if settings else 3
    threshold = Decimal(str(settings.get("threshold_gbp", 0))) if settings else Decimal(0)
    problems = double_counting_problems(contracts)
    for record, contract in contracts:
        problems += progress_problems(record, contract, today, interval, threshold)
        problems += audit_problems(record, contract, today)
    return problems


def _listed_twice(record: Record, contract: Contract) -> Iterator[Problem]:
    """One update listed twice (its id, or all it says); one update confirmed twice."""
    ids: dict[str, int] = {}
    said: dict[tuple, int] = {}
    for index, update in enumerate(contract.updates):
        same = (update.date, update.commitment, update.quantity, update.what)
        if update.id in ids:
            first = record.line(f"updates[{ids[update.id]}]")
            message = f'"{update.id}" is already the id of the update on line {first}'
            yield _error(record, f"updates[{index}].id", message, f"{COUNTS_ONCE}: remove one")
        elif same in said:
            first = record.line(f"updates[{said[same]}]")
            message = f"repeats the update on line {first} (same date, commitment, quantity, what)"
            yield _error(record, f"updates[{index}]", message, f"{COUNTS_ONCE}: remove one")
        ids.setdefault(update.id, index)
        said.setdefault(same, index)
    confirmed: dict[str, int] = {}
    for index, confirmation in enumerate(contract.confirmations):
        if confirmation.update in confirmed:
            first = record.line(f"confirmations[{confirmed[confirmation.update]}]")
            message = f'update "{confirmation.update}" is already confirmed on line {first}'
            hint = "a quantity is confirmed once: keep one confirmation and change it if need be"
            yield _error(record, f"confirmations[{index}].update", message, hint)
        confirmed.setdefault(confirmation.update, index)


def _deliveries(contracts: Checked) -> Iterator[tuple[Record, Contract, int, ProgressUpdate]]:
    for record, contract in contracts:
        for index, update in enumerate(contract.updates):
            yield record, contract, index, update


def double_counting_problems(contracts: Checked) -> list[Problem]:
    """Every shape of double counting, reported where the second claim is written."""
    problems = [p for record, contract in contracts for p in _listed_twice(record, contract)]
    first: dict[tuple, tuple[Record, str, str, int]] = {}
    for record, contract, index, update in _deliveries(contracts):
        commitment = next((c for c in contract.commitments if c.id == update.commitment), None)
        if commitment is None or commitment.organisation is None:
            continue
        key = (commitment.organisation, commitment.measure, update.date, update.quantity)
        claim = (record, contract.id, commitment.id, index)
        earlier = first.setdefault(key, claim)
        if earlier[1:3] == claim[1:3]:
            continue  # the same commitment: a repeat is checked by _listed_twice
        where = f"{earlier[0].path}:{earlier[0].line(f'updates[{earlier[3]}]')}"
        delivery = (
            f"{amount(update.quantity)} of {commitment.measure} "
            f"to {commitment.organisation} on {update.date.isoformat()}"
        )
        problems.append(
            _error(
                record,
                f"updates[{index}]",
                f"claims the same delivery as {where} ({delivery})",
                f"{COUNTS_ONCE}: claim it under one commitment of one contract",
            )
        )
    return problems


def progress_problems(
    record: Record, contract: Contract, today: dt.date, interval: int, threshold: Decimal
) -> list[Problem]:
    """Warnings: reported beyond the quantum; no recent update; no commitments over threshold."""
    problems, outstanding = [], False
    for index, commitment in enumerate(contract.commitments):
        figures = contract.figures(commitment.id)
        outstanding = outstanding or figures.reported < figures.committed
        if figures.reported > figures.committed:
            message = (
                f"{amount(figures.reported)} reported, more than the quantum of "
                f"{amount(figures.committed)}"
            )
            hint = "check the updates for double counting"
            problems.append(_warning(record, f"commitments[{index}].quantum", message, hint))
    running = contract.start <= today <= contract.end
    latest = max((u.date for u in contract.updates), default=contract.start)
    if running and outstanding and latest < months_before(today, interval):
        since = "the contract started on" if not contract.updates else "the last one, on"
        message = f"no progress update for over {interval} months ({since} {latest.isoformat()})"
        hint = "ask the supplier for a progress update and add it under updates"
        problems.append(_warning(record, "updates", message, hint))
    if contract.value_gbp >= threshold and not contract.commitments:
        data = record.row.data
        key = "commitments" if isinstance(data, dict) and "commitments" in data else "value_gbp"
        message = f"the contract is worth £{contract.value_gbp:,} and has no commitments"
        hint = f"social value is sought for every contract of £{threshold:,} or more"
        problems.append(
            Problem(record.path, record.line(key), "commitments", message, hint, "warning")
        )
    return problems


def audit_problems(record: Record, contract: Contract, today: dt.date) -> list[Problem]:
    """No audit after the end; an audit missing a commitment; a grace period that ended."""
    audit = contract.audit
    if audit is None:
        if contract.commitments and contract.end < today:
            message = f"the contract ended on {contract.end.isoformat()} and has no audit"
            hint = "audit its social value against the commitments, then add the audit"
            return [_warning(record, "end", message, hint)]
        return []
    problems = []
    for commitment in contract.commitments:
        if audit.outcome_of(commitment.id) is None:
            message = f'the audit gives no outcome for commitment "{commitment.id}"'
            problems.append(_warning(record, "audit.outcomes", message, "add one"))
    for index, outcome in enumerate(audit.outcomes):
        ended = outcome.grace_until
        if outcome.outcome not in NOT_MET or ended is None or ended >= today:
            continue
        key = f"audit.outcomes[{index}].grace_until"
        put_right = any(
            u.commitment == outcome.commitment and u.date > audit.date for u in contract.updates
        )
        if put_right:
            message = f"the grace period ended on {ended.isoformat()}: audit the commitment again"
            hint = "if the updates since the audit put it right, change the outcome to met"
            problems.append(_warning(record, key, message, hint))
        else:
            message = (
                f"the grace period ended on {ended.isoformat()} and nothing was put right: "
                f'the outcome is still {outcome.outcome} and "{outcome.commitment}" has no '
                "update since the audit"
            )
            hint = "add the update that put it right, or give the final outcome without grace_until"
            problems.append(_error(record, key, message, hint))
    return problems


def annual_report_problems(tables: Tables, today: dt.date) -> list[Problem]:
    """Warnings: a partner's annual report more than 12 months old."""
    table = tables.get("partners")
    stale_before = months_before(today, ANNUAL_REPORT_MONTHS)
    problems = []
    for record in table.records if table else ():
        day = record.get("annual_report_date")
        if isinstance(day, dt.date) and day < stale_before:
            message = (
                f"the partner's annual report is dated {day.isoformat()}, "
                f"over {ANNUAL_REPORT_MONTHS} months ago"
            )
            hint = "ask the partner for its latest report, then update the link and the date"
            problems.append(_warning(record, "annual_report_date", message, hint))
    return problems
