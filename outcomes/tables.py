"""The outcome tables, built once from a Summary and shown three ways: as HTML on the dashboard and the funder
report, and as CSV and XLSX downloads (outcomes.exports). One definition, so a download always has the
columns and numbers the page shows.

Each cell keeps its kind (count, hours, money, percent, date, month, text): pages format it for reading,
spreadsheets keep numbers as numbers.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .figures import Rate


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str = "text"  # text, count, hours, money, percent, date, month
    detail: str = ""  # for a percent: "12 of 16"

    @property
    def is_number(self):
        return self.kind in ("count", "hours", "money", "percent")


def text(value):
    return Cell(value or "", "text")


def count(value):
    return Cell(value, "count")


def hours(value):
    return Cell(value, "hours")


def money(value):
    return Cell(value, "money")


def percent(rate: Rate):
    return Cell(rate.percent, "percent", detail=f"{rate.part}/{rate.whole}")


@dataclass
class Table:
    slug: str
    title: str
    headings: list
    rows: list = field(default_factory=list)

    @property
    def numeric(self):
        """Which columns hold numbers (right-aligned on the page)."""
        if not self.rows:
            return [False] * len(self.headings)
        return [cell.is_number for cell in self.rows[0]]


# The order of the downloads and of the sheets in the workbook.
SLUGS = ("figures", "cohorts", "programs", "partners", "weeks", "funnel", "months", "milestones", "bonuses")


def build(summary, slug):
    return BUILDERS[slug](summary)


def figures_table(summary):
    s = summary
    rows = [
        (_("People served (different learners)"), count(s.people_served)),
        (_("Active now"), count(s.active)),
        (_("Waiting for a seat"), count(s.waiting)),
        (_("Enrollments that took a seat"), count(s.enrollments.served)),
        (_("Sessions held"), count(s.attendance.sessions)),
        (_("Instruction hours"), hours(s.attendance.hours)),
        (_("Learner-hours attended"), hours(s.attendance.learner_hours)),
        (_("Attendance rate"), percent(s.attendance.rate)),
        (_("Retention after 4 weeks"), percent(s.enrollments.retention)),
        (_("Completion rate"), percent(s.enrollments.completion)),
        (_("Completed"), count(s.enrollments.completed)),
        (_("Completed, with a certificate of completion"), count(s.enrollments.completed_with_certificate)),
        (_("Withdrew"), count(s.enrollments.withdrawn)),
    ]
    if s.credentials_issued is not None:
        rows.append((_("Credentials issued"), count(s.credentials_issued)))
    rows += [
        (_("Milestones reached"), count(s.milestones_reached)),
        (_("Grant dollars recorded (SEED)"), money(s.grant_dollars)),
        (_("Bonuses approved, awaiting payment"), count(s.bonuses_approved.count)),
        (_("Bonus dollars approved, awaiting payment"), money(s.bonuses_approved.amount)),
        (_("Bonuses paid"), count(s.bonuses_paid.count)),
        (_("Bonus dollars paid"), money(s.bonuses_paid.amount)),
    ]
    return Table(
        "figures",
        _("Headline figures"),
        [_("Figure"), _("Value")],
        [[text(str(label)), value] for label, value in rows],
    )


def _group_cells(enrollments, attendance):
    return [
        count(enrollments.served),
        count(enrollments.active),
        count(enrollments.waiting),
        count(enrollments.completed),
        count(enrollments.withdrawn),
        count(attendance.sessions),
        hours(attendance.hours),
        hours(attendance.learner_hours),
        percent(attendance.rate),
        percent(enrollments.retention),
        percent(enrollments.completion),
    ]


GROUP_HEADINGS = [
    _("Enrollments"),
    _("Active"),
    _("Waiting"),
    _("Completed"),
    _("Withdrew"),
    _("Sessions held"),
    _("Instruction hours"),
    _("Learner-hours"),
    _("Attendance rate"),
    _("Retention after 4 weeks"),
    _("Completion rate"),
]


def cohorts_table(summary):
    return Table(
        "cohorts",
        _("Cohorts"),
        [
            _("Cohort"),
            _("Term"),
            _("Partner organization"),
            _("Course"),
            _("Program"),
            _("First day"),
            _("Last day"),
            _("Status"),
            *GROUP_HEADINGS,
        ],
        [
            [
                text(row.name),
                text(row.term),
                text(row.partner),
                text(row.course),
                text(row.track_label),
                Cell(row.start_date, "date"),
                Cell(row.end_date, "date"),
                text(row.status_label),
                *_group_cells(row.enrollments, row.attendance),
            ]
            for row in summary.cohorts
        ],
    )


def programs_table(summary):
    return Table(
        "programs",
        _("By program"),
        [_("Program"), _("People served"), *GROUP_HEADINGS],
        [
            [text(row.label), count(row.people_served), *_group_cells(row.enrollments, row.attendance)]
            for row in summary.by_track
        ],
    )


def partners_table(summary):
    return Table(
        "partners",
        _("By partner organization"),
        [_("Partner organization"), _("People served"), *GROUP_HEADINGS],
        [
            [text(row.label), count(row.people_served), *_group_cells(row.enrollments, row.attendance)]
            for row in summary.by_partner
        ],
    )


def weeks_table(summary):
    return Table(
        "weeks",
        _("Attendance by week"),
        [
            _("Week of"),
            _("Sessions held"),
            _("Present or late"),
            _("Absent"),
            _("Excused"),
            _("Attendance rate"),
            _("Learner-hours"),
        ],
        [
            [
                Cell(row.week, "date"),
                count(row.attendance.sessions),
                count(row.attendance.present + row.attendance.late),
                count(row.attendance.absent),
                count(row.attendance.excused),
                percent(row.attendance.rate),
                hours(row.attendance.learner_hours),
            ]
            for row in summary.weeks
        ],
    )


def funnel_table(summary):
    e = summary.enrollments
    return Table(
        "funnel",
        _("Enrollment funnel"),
        [_("Stage"), _("Enrollments")],
        [
            [text(str(_("Signed up (waitlist included)"))), count(e.signed_up)],
            [text(str(_("Took a seat"))), count(e.served)],
            [text(str(_("Completed"))), count(e.completed)],
        ],
    )


def months_table(summary):
    headings = [_("Month")]
    if summary.credentials_issued is not None:
        headings.append(_("Credentials issued"))
    headings.append(_("Milestones reached"))
    rows = []
    for row in summary.months:
        cells = [Cell(row.month, "month")]
        if summary.credentials_issued is not None:
            cells.append(count(row.credentials))
        cells.append(count(row.milestones))
        rows.append(cells)
    return Table("months", _("Credentials and milestones"), headings, rows)


def milestones_table(summary):
    return Table(
        "milestones",
        _("Milestones reached"),
        [_("Milestone"), _("Reached (verified)"), _("Amount recorded")],
        [
            [text(row.name), count(row.count), money(row.amount) if row.carries_amount else text("")]
            for row in summary.milestones
        ],
    )


def bonuses_table(summary):
    return Table(
        "bonuses",
        _("Monthly bonuses"),
        [_("Decision"), _("Bonuses"), _("Dollars")],
        [
            [
                text(str(_("Approved, awaiting payment"))),
                count(summary.bonuses_approved.count),
                money(summary.bonuses_approved.amount),
            ],
            [
                text(str(_("Approved, held for an adjustment review"))),
                count(summary.bonuses_held.count),
                money(summary.bonuses_held.amount),
            ],
            [text(str(_("Paid"))), count(summary.bonuses_paid.count), money(summary.bonuses_paid.amount)],
        ],
    )


# The funder report's narrower version of the program and partner tables (it must fit a portrait page).
REPORT_HEADINGS = [
    _("People served"),
    _("Enrollments"),
    _("Completed"),
    _("Completion rate"),
    _("Retention after 4 weeks"),
    _("Sessions held"),
    _("Instruction hours"),
    _("Learner-hours"),
    _("Attendance rate"),
]


def report_table(summary, slug):
    groups, first_heading, title = {
        "programs": (summary.by_track, _("Program"), _("By program")),
        "partners": (summary.by_partner, _("Partner organization"), _("By partner organization")),
    }[slug]
    return Table(
        slug,
        title,
        [first_heading, *REPORT_HEADINGS],
        [
            [
                text(row.label),
                count(row.people_served),
                count(row.enrollments.served),
                count(row.enrollments.completed),
                percent(row.enrollments.completion),
                percent(row.enrollments.retention),
                count(row.attendance.sessions),
                hours(row.attendance.hours),
                hours(row.attendance.learner_hours),
                percent(row.attendance.rate),
            ]
            for row in groups
        ],
    )


BUILDERS = {
    "figures": figures_table,
    "cohorts": cohorts_table,
    "programs": programs_table,
    "partners": partners_table,
    "weeks": weeks_table,
    "funnel": funnel_table,
    "months": months_table,
    "milestones": milestones_table,
    "bonuses": bonuses_table,
}


# --- the headline figures, as cards ------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    slug: str
    label: str
    value: Cell
    detail: str = ""


def headline(summary):
    s = summary
    attendance, retention, completion = s.attendance.rate, s.enrollments.retention, s.enrollments.completion
    cards = [
        Headline(
            "people_served",
            _("People served"),
            count(s.people_served),
            _("Different learners; someone in two cohorts counts once."),
        ),
        Headline("active", _("Active now"), count(s.active), _("Learners attending a cohort now.")),
        Headline("waiting", _("Waiting for a seat"), count(s.waiting), _("On a waitlist or offered a seat.")),
        Headline("sessions", _("Sessions held"), count(s.attendance.sessions), _("Started and not cancelled.")),
        Headline("hours", _("Instruction hours"), hours(s.attendance.hours), _("Hours of class held.")),
        Headline(
            "learner_hours",
            _("Learner-hours"),
            hours(s.attendance.learner_hours),
            _("Hours attended, all learners together."),
        ),
        Headline(
            "attendance",
            _("Attendance rate"),
            percent(attendance),
            _("%(part)s of %(whole)s marks present or late; excused left out.")
            % {"part": attendance.part, "whole": attendance.whole},
        ),
        Headline(
            "retention",
            _("Retention after 4 weeks"),
            percent(retention),
            _("%(part)s of %(whole)s enrollments still there after four weeks.")
            % {"part": retention.part, "whole": retention.whole},
        ),
        Headline(
            "completion",
            _("Completion rate"),
            percent(completion),
            _("%(part)s completed of %(whole)s who completed or withdrew.")
            % {"part": completion.part, "whole": completion.whole},
        ),
    ]
    if s.credentials_issued is not None:
        cards.append(
            Headline(
                "credentials",
                _("Credentials issued"),
                count(s.credentials_issued),
                _("Valid certificates; revoked ones left out."),
            )
        )
    cards += [
        Headline(
            "milestones", _("Milestones reached"), count(s.milestones_reached), _("Verified by a program manager.")
        ),
        Headline("grants", _("SEED grant dollars"), money(s.grant_dollars), _("Amounts recorded on grant milestones.")),
        Headline(
            "bonuses_approved",
            _("Bonuses approved"),
            money(s.bonuses_approved.amount),
            ngettext(
                "%(count)s bonus approved, not yet paid.",
                "%(count)s bonuses approved, not yet paid.",
                s.bonuses_approved.count,
            )
            % {"count": s.bonuses_approved.count},
        ),
        Headline(
            "bonuses_paid",
            _("Bonuses paid"),
            money(s.bonuses_paid.amount),
            ngettext("%(count)s bonus paid.", "%(count)s bonuses paid.", s.bonuses_paid.count)
            % {"count": s.bonuses_paid.count},
        ),
    ]
    return cards
