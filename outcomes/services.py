"""Writes outcomes owns: keeping each session's attendance counts equal to its marks.

Counts are recomputed from the attendance rows, never added to, so a refresh is idempotent and a late
or repeated one heals rather than drifts. One SQL statement (an upsert fed by a grouped SELECT) does any
number of sessions, on PostgreSQL and SQLite alike.
"""

from django.db import connection, transaction
from django.utils import timezone

from cohorts.models import Attendance, Session

from .models import SessionAttendanceCount

STATUSES = ("present", "late", "excused", "absent")


def _upsert_sql(where):
    quote = connection.ops.quote_name
    counts = ", ".join(
        f"COALESCE(SUM(CASE WHEN a.{quote('status')} = %s THEN 1 ELSE 0 END), 0)" for _status in STATUSES
    )
    columns = ", ".join(quote(name) for name in ("session_id", *STATUSES, "refreshed_at"))
    updates = ", ".join(f"{quote(name)} = excluded.{quote(name)}" for name in (*STATUSES, "refreshed_at"))
    return (
        f"INSERT INTO {quote(SessionAttendanceCount._meta.db_table)} ({columns}) "
        f"SELECT s.{quote('id')}, {counts}, %s "
        f"FROM {quote(Session._meta.db_table)} s "
        f"LEFT JOIN {quote(Attendance._meta.db_table)} a ON a.{quote('session_id')} = s.{quote('id')} "
        f"WHERE {where} "
        f"GROUP BY s.{quote('id')} "
        f"ON CONFLICT ({quote('session_id')}) DO UPDATE SET {updates}"
    )


def refresh_attendance_counts(*, session_ids, locked=False) -> None:
    """Recount the marks of these sessions.

    Called by the attendance_changed receiver inside record_attendance's transaction, which already holds
    the session's row lock (`locked=True`): one statement, and the count commits with the marks or not at
    all. Called on its own, it takes the same lock first, so the count reads every mark committed for the
    session and two refreshes racing cannot leave an older count behind.
    """
    session_ids = sorted({int(session_id) for session_id in session_ids})
    if not session_ids:
        return
    placeholders = ", ".join(["%s"] * len(session_ids))
    statement = _upsert_sql(f"s.{connection.ops.quote_name('id')} IN ({placeholders})")
    with transaction.atomic(savepoint=False):
        if not locked:
            list(Session.objects.select_for_update().filter(pk__in=session_ids).order_by("pk").values_list("pk"))
        with connection.cursor() as cursor:
            cursor.execute(statement, [*STATUSES, timezone.now(), *session_ids])


def rebuild_attendance_counts() -> int:
    """Recount every session (after a bulk load, or to repair counts). Returns the number of sessions."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_upsert_sql("1 = 1"), [*STATUSES, timezone.now()])
    return Session.objects.count()
