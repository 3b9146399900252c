"""Events cohorts announce to apps that depend on it (which cohorts must not import).

`attendance_changed` is sent inside the saving transaction after attendance rows
change, with the session and the enrollment ids whose marks changed. Receivers
must not write money directly: incentives queues a recomputation after commit.
"""

from django.dispatch import Signal

attendance_changed = Signal()  # kwargs: session, enrollment_ids
