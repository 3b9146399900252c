"""The training-bonus rule, as one pure function over a learner's sessions in a month.

Every figure shown or paid — the ledger, the learner's progress line, the
instructor's "below threshold" flag — comes from `evaluate`.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ATTENDED = "attended"
MISSED = "missed"
LEFT_OUT = "left_out"


def classify(rule, status):
    """How one mark counts under `rule`: attended, missed, or left out of both sides.

    A held session with no mark yet counts as missed: money follows what was recorded.
    """
    if status == "present":
        return ATTENDED
    if status == "late":
        return ATTENDED if rule.late_counts_as_attended else MISSED
    if status == "excused":
        return LEFT_OUT if rule.excused_left_out else MISSED
    return MISSED  # absent, or not marked


@dataclass
class Evaluation:
    held: int = 0  # held sessions in the learner's window, before leaving any out
    counted: int = 0  # held minus those left out (excused)
    attended: int = 0
    unmarked: int = 0
    upcoming: int = 0  # sessions still to come this month (for progress, not for money)
    eligible: bool = False
    amount: Decimal = Decimal("0.00")
    rate: Decimal = Decimal("0.00")
    more_needed: int | None = None  # sessions still to attend to qualify; None if out of reach
    sessions: list = field(default_factory=list)  # [[session_id, "YYYY-MM-DD", status or None], ...]

    def basis(self):
        return {
            "held": self.held,
            "counted": self.counted,
            "attended": self.attended,
            "unmarked": self.unmarked,
            "sessions": self.sessions,
        }


def evaluate(rule, marks, upcoming=0):
    """`marks`: [(session_id, date, status or None)] for held sessions in the month while enrolled."""
    result = Evaluation(upcoming=upcoming)
    for session_id, date, status in sorted(marks, key=lambda mark: (mark[1], mark[0])):
        result.sessions.append([session_id, date.isoformat(), status])
        result.held += 1
        if status is None:
            result.unmarked += 1
        kind = classify(rule, status)
        if kind == LEFT_OUT:
            continue
        result.counted += 1
        if kind == ATTENDED:
            result.attended += 1
    result.rate = attendance_rate(result.attended, result.counted)
    result.eligible = qualifies(rule, result.attended, result.counted)
    result.amount = Decimal(rule.amount) if result.eligible else Decimal("0.00")
    # Assuming every upcoming session is held: the fewest further sessions that qualify.
    result.more_needed = next(
        (extra for extra in range(upcoming + 1) if qualifies(rule, result.attended + extra, result.counted + upcoming)),
        None,
    )
    return result


def attendance_rate(attended, counted):
    if not counted:
        return Decimal("0.00")
    return (Decimal(attended) * 100 / counted).quantize(Decimal("0.01"), ROUND_HALF_UP)


def qualifies(rule, attended, counted):
    return (
        counted > 0
        and attended >= rule.minimum_sessions
        and attendance_rate(attended, counted) >= Decimal(rule.threshold_percent)
    )
