"""Database expressions the figures need that Django has no portable spelling for, written for the two
databases Pathways runs on (PostgreSQL in production, SQLite embedded and in tests)."""

from django.db import NotSupportedError
from django.db.models import DateField, Func, IntegerField


class SessionMinutes(Func):
    """A session's length in whole minutes, from its wall-clock start and end times (as Session.hours)."""

    output_field = IntegerField()

    def __init__(self, start="start_time", end="end_time", **extra):
        super().__init__(start, end, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"SessionMinutes has no SQL for {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql_template(
            compiler, connection, "(EXTRACT(EPOCH FROM (%(end)s - %(start)s)) / 60)::integer", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql_template(
            compiler,
            connection,
            "CAST(ROUND((julianday(%(end)s) - julianday(%(start)s)) * 1440) AS INTEGER)",
            **extra_context,
        )

    def as_sql_template(self, compiler, connection, template, **extra_context):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        # %(end)s comes first in the templates; keep the parameters in the order they appear.
        params = [*end_params, *start_params]
        return template % {"start": start_sql, "end": end_sql}, params


class PlusDays(Func):
    """A date plus a fixed number of days, still a date (no time part to trip a comparison on SQLite)."""

    output_field = DateField()

    def __init__(self, expression, days, **extra):
        self.days = int(days)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"PlusDays has no SQL for {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + {self.days})", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{self.days:+d} days')", params
