"""Where apps built on cohorts add to its pages, without cohorts importing them.

They register Wagtail hooks (in their wagtail_hooks.py), called in hook order:

- ``cohorts_roster_notes(session, enrollments)`` returns ``{enrollment id: [short note, ...]}``:
  notes shown on each learner's row of a session's roster (incentives: "below the bonus line").
- ``cohorts_portal_sections(request, learner)`` returns HTML (or ""): sections added to the end
  of the learner portal's home page (incentives: bonus progress and milestones).
- ``cohorts_learner_links(request, cohort, learners)`` returns ``{learner id: [(label, url), ...]}``:
  links on each learner of a cohort's staff page (incentives: "Record a milestone").
"""

from collections import defaultdict

from wagtail import hooks

ROSTER_NOTES = "cohorts_roster_notes"
PORTAL_SECTIONS = "cohorts_portal_sections"
LEARNER_LINKS = "cohorts_learner_links"


def roster_notes(session, enrollments):
    notes = defaultdict(list)
    if not enrollments:
        return notes
    for hook in hooks.get_hooks(ROSTER_NOTES):
        for enrollment_id, lines in hook(session, enrollments).items():
            notes[enrollment_id].extend(lines)
    return notes


def portal_sections(request, learner):
    return [html for hook in hooks.get_hooks(PORTAL_SECTIONS) if (html := hook(request, learner))]


def learner_links(request, cohort, learners):
    links = defaultdict(list)
    if not learners:
        return links
    for hook in hooks.get_hooks(LEARNER_LINKS):
        for learner_id, pairs in hook(request, cohort, learners).items():
            links[learner_id].extend(pairs)
    return links
