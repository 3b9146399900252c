"""The people of tests/bench/test_load.py, for locust: instructors who save today's roster and learners who
open their portal, each signed in with a browser session made in advance (PATHWAYS_LOAD_PEOPLE names the
JSON file that lists them). Run by the test; by hand:

    PATHWAYS_LOAD_PEOPLE=people.json locust -f tests/bench/locustfile.py --headless -u 250 -r 50 -t 60s \\
        --host http://127.0.0.1:8790

The server runs the production settings over plain HTTP, so its cookies are marked Secure and a client would
not send them back: each request carries the session (and CSRF) cookie itself. A request that is not the
expected answer (200 for a page, a redirect back to the roster after saving) counts as an error.
"""

import json
import os
import random
import re
from itertools import count

from locust import HttpUser, between, task

PEOPLE = json.loads(open(os.environ["PATHWAYS_LOAD_PEOPLE"]).read())
STATUS_WEIGHTS = {"present": 80, "late": 8, "absent": 10, "excused": 2}
ROW = re.compile(r'name="status-(\d+)"')
INPUT = re.compile(r"<input\b[^>]*>")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _taker(people):
    """Each simulated person is a different one of the people, in order (locust starts users one by one)."""
    numbers = count()
    return lambda: people[next(numbers) % len(people)]


next_instructor = _taker(PEOPLE["instructors"])
next_learner = _taker(PEOPLE["learners"])


def _expected(html):
    """The hidden `expected-<id>` values: the status the page showed, so a save is never taken for a conflict."""
    expected = {}
    for tag in INPUT.findall(html):
        name = re.search(r'name="expected-(\d+)"', tag)
        if name:
            value = re.search(r'value="([^"]*)"', tag)
            expected[name.group(1)] = value.group(1) if value else ""
    return expected


class Instructor(HttpUser):
    """Opens today's roster, marks every learner (mostly present) and saves; then looks at the class."""

    fixed_count = 50
    wait_time = between(10, 30)

    def on_start(self):
        me = next_instructor()
        self.roster = me["roster"]
        self.cookies = {"sessionid": me["session"], "csrftoken": me["csrf"]}
        self.wait()  # people arrive over time, not all in the same second

    @task
    def save_roster(self):
        with self.client.get(
            self.roster,
            cookies=self.cookies,
            allow_redirects=False,
            name="instructor: open roster",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not ROW.search(response.text):
                response.failure(f"status {response.status_code}, no roster")
                return
            html = response.text
        token = CSRF.search(html).group(1)
        data = {"csrfmiddlewaretoken": token, "action": "save"}
        for key, shown in _expected(html).items():
            data[f"status-{key}"] = random.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
            data[f"expected-{key}"] = shown
        with self.client.post(
            self.roster,
            data,
            cookies=self.cookies,
            headers={"Referer": f"{self.host}{self.roster}"},
            allow_redirects=False,
            name="instructor: save roster",
            catch_response=True,
        ) as response:
            if response.status_code != 302 or not response.headers.get("Location", "").endswith(self.roster):
                response.failure(f"status {response.status_code}, not saved")


class Learner(HttpUser):
    """Opens their portal: schedule, attendance, progress toward the bonus and credentials."""

    fixed_count = 200
    wait_time = between(20, 60)

    def on_start(self):
        self.cookies = {"sessionid": next_learner()["session"]}
        self.wait()

    @task
    def portal(self):
        with self.client.get(
            "/learn/", cookies=self.cookies, allow_redirects=False, name="learner: portal", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
