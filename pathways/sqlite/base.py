"""Django's SQLite backend, told how many bound variables this SQLite accepts.

Django assumes SQLite's limit before 3.32 (999), so a 200-learner roster upsert is split into three
statements on SQLite while PostgreSQL takes one. SQLite 3.32+ accepts 32766; with the real limit the
embedded database does the same work in the same number of queries as production.
"""

import sqlite3

from django.db.backends.sqlite3 import base, features


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
