"""Counting attempts in the cache, to slow down guessing of codes and form spam.

A fixed window: the first counted attempt starts it, and it ends `window` seconds
later. Good enough to stop guessing; the cache must be shared between processes
in production (Redis), or each process counts on its own.
"""

from django.core.cache import cache


class AttemptLimit:
    def __init__(self, scope, *, attempts, window):
        self.scope = scope
        self.attempts = attempts
        self.window = window

    def _key(self, who):
        return f"attempts:{self.scope}:{who}"

    def exceeded(self, who):
        return (cache.get(self._key(who)) or 0) >= self.attempts

    def count(self, who):
        key = self._key(who)
        if not cache.add(key, 1, timeout=self.window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=self.window)

    def reset(self, who):
        cache.delete(self._key(who))


def client_ip(request):
    """The address the request came from. Behind a proxy, the proxy must set REMOTE_ADDR correctly
    (e.g. gunicorn --forwarded-allow-ips), or every visitor shares one address."""
    return request.META.get("REMOTE_ADDR", "")
