"""The one reading of attendance: which marks count as attended, which as missed, the rate and its rounding.

Every page that shows or judges attendance reads it here, passing its options as a `Reading`:

- `PROGRAM_READING` — the instructor's cohort page (rates and at-risk flags), the learner's "My attendance",
  credential eligibility (credentials.eligibility) and the outcome figures (outcomes.figures, which adds the
  same statuses up in SQL from per-session counts). What was recorded at held sessions that have started:
  present and late count as attended, absent as missed, excused is left out of both sides, and a session
  nobody marked yet counts on neither side — it is reported apart as "not marked yet" so the learner can ask.
  Credentials read attendance exactly this way; they do not differ from the cohort page.
- A bonus rule (incentives.rules) reads deliberately differently, because money follows what was recorded:
  a held session with no mark counts as missed (`unmarked_counts_as_missed`), and the rule chooses whether
  late counts as attended and whether excused is left out.

Which sessions count, for every reading: held (not cancelled) sessions that have started in the cohort's own
time zone. A session still to come counts for no one, even when a learner was excused from it ahead of time
(the only mark a future session accepts, see cohorts.services).

One rounding: a threshold is compared with the exact fraction (`Tally.meets`: 2 of 3 is below 66.67%), and a
rate is shown rounded half up (`percent`: 2 of 3 is 67%, 5 of 8 is 63%) — to whole percent on the learner's and
the instructor's pages and in eligibility explanations; the outcome figures show one decimal and the bonus
ledger stores two, through the same function, so one fraction never reads as two different numbers.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

PRESENT, LATE, EXCUSED, ABSENT = "present", "late", "excused", "absent"  # Attendance.Status values

ATTENDED = "attended"
MISSED = "missed"
LEFT_OUT = "left_out"  # on neither side of the rate


@dataclass(frozen=True)
class Reading:
    """How marks count. The defaults are the program's reading (`PROGRAM_READING`)."""

    late_counts_as_attended: bool = True
    excused_left_out: bool = True
    unmarked_counts_as_missed: bool = False

    def classify(self, status):
        """ATTENDED, MISSED or LEFT_OUT for one mark at a held session that has started; `status` None when
        nobody marked it."""
        if status == PRESENT:
            return ATTENDED
        if status == LATE:
            return ATTENDED if self.late_counts_as_attended else MISSED
        if status == EXCUSED:
            return LEFT_OUT if self.excused_left_out else MISSED
        if status is None:
            return MISSED if self.unmarked_counts_as_missed else LEFT_OUT
        return MISSED  # absent

    @property
    def attended_statuses(self):
        """The recorded statuses that count as attended (for readings added up in SQL)."""
        return [status for status in (PRESENT, LATE, EXCUSED, ABSENT) if self.classify(status) == ATTENDED]

    @property
    def counted_statuses(self):
        """The recorded statuses on the counted side of the rate (attended or missed)."""
        return [status for status in (PRESENT, LATE, EXCUSED, ABSENT) if self.classify(status) != LEFT_OUT]


PROGRAM_READING = Reading()


def percent(part, whole, places=0):
    """`part` of `whole` as a percentage rounded half up to `places` decimals; None when `whole` is 0."""
    if not whole:
        return None
    exponent = Decimal(1).scaleb(-places)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(exponent, ROUND_HALF_UP)


@dataclass
class Tally:
    """One learner's attendance under a reading: `attended` of `counted`, plus what was left out."""

    attended: int = 0
    counted: int = 0  # attended + missed
    excused: int = 0  # marked excused (left out, or missed when the reading counts it)
    unmarked: int = 0  # started held sessions nobody marked (left out, or missed when the reading counts them)

    def add(self, status, reading=PROGRAM_READING, times=1):
        kind = reading.classify(status)
        if status == EXCUSED:
            self.excused += times
        elif status is None:
            self.unmarked += times
        if kind == LEFT_OUT:
            return kind
        self.counted += times
        if kind == ATTENDED:
            self.attended += times
        return kind

    @property
    def missed(self):
        return self.counted - self.attended

    @property
    def rate(self):
        """Whole percent, rounded half up; None before anything counted."""
        return percent(self.attended, self.counted)

    def meets(self, threshold_percent):
        """Whether the exact share reaches `threshold_percent` (no rounding first). Nothing counted meets only 0."""
        if not self.counted:
            return Decimal(threshold_percent) <= 0
        return Decimal(self.attended) * 100 >= Decimal(threshold_percent) * self.counted


def tally(statuses, reading=PROGRAM_READING):
    """A Tally of `statuses` (one per started held session, None when unmarked)."""
    result = Tally()
    for status in statuses:
        result.add(status, reading)
    return result


def tally_of_counts(counts, reading=PROGRAM_READING):
    """A Tally from counts of marks by status ({"present": 12, "late": 2, ...}), as SQL adds them up."""
    result = Tally()
    for status in (PRESENT, LATE, EXCUSED, ABSENT, None):
        if counts.get(status):
            result.add(status, reading, times=counts[status])
    return result


def has_started(date, start_time, time_zone, now):
    """Whether a session on `date` at `start_time` (the cohort's wall clock in `time_zone`) has started by `now`."""
    zone = time_zone if isinstance(time_zone, ZoneInfo) else ZoneInfo(time_zone)
    return datetime.datetime.combine(date, start_time, tzinfo=zone) <= now


def certainly_started_before(now):
    """The first date on which a session may not have started yet somewhere: every time zone's date is at
    least the UTC date minus one, so sessions dated before that have started wherever they met."""
    return now.astimezone(datetime.UTC).date() - datetime.timedelta(days=1)
