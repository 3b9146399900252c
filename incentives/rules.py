"""The training-bonus rule, as one pure function over a learner's sessions in a month.

Every figure shown or paid — the ledger, the learner's progress line, the instructor's "below threshold"
flag — comes from `evaluate`. Marks are read by cohorts.attendance with the rule's options (`reading`): a held
session with no mark counts as missed, because money follows what was recorded; the rule chooses whether late
counts as attended and whether excused is left out. The share is compared with the threshold exactly; the
ledger stores it rounded half up to two decimals.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from cohorts.attendance import ATTENDED, LEFT_OUT, MISSED, Reading, Tally, percent

__all__ = ["ATTENDED", "LEFT_OUT", "MISSED", "Evaluation", "attendance_rate", "classify", "evaluate", "qualifies"]


def reading(rule):
    """The rule's options as a cohorts.attendance.Reading."""
    return Reading(
        late_counts_as_attended=rule.late_counts_as_attended,
        excused_left_out=rule.excused_left_out,
        unmarked_counts_as_missed=True,
    )


def classify(rule, status):
    """How one mark counts under `rule`: attended, missed, or left out of both sides."""
    return reading(rule).classify(status)


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
    tally = Tally()
    rule_reading = reading(rule)
    for session_id, date, status in sorted(marks, key=lambda mark: (mark[1], mark[0])):
        result.sessions.append([session_id, date.isoformat(), status])
        result.held += 1
        tally.add(status, rule_reading)
    result.counted, result.attended, result.unmarked = tally.counted, tally.attended, tally.unmarked
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
    """The ledger's rate: percent rounded half up to two decimals (0.00 when nothing counted)."""
    rate = percent(attended, counted, places=2)
    return Decimal("0.00") if rate is None else rate


def qualifies(rule, attended, counted):
    """At least the rule's minimum sessions, and the exact share at or above its threshold."""
    return (
        counted > 0
        and attended >= rule.minimum_sessions
        and Tally(attended=attended, counted=counted).meets(rule.threshold_percent)
    )
