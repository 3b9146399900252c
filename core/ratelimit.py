"""Counting attempts in the cache, to slow down guessing of codes and form spam.

A fixed window: the first counted attempt starts it, and it ends `window` seconds
later. Good enough to stop guessing; the cache must be shared between processes
in production (Redis), or each process counts on its own.
"""

from django.conf import settings
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
    """The address the request came from: the one rule for every attempt limit and the sign-in lockout.

    Behind TRUSTED_PROXY_COUNT proxies (settings.PATHWAYS_TRUSTED_PROXY_COUNT), REMOTE_ADDR is the nearest
    proxy's, so the visitor's address is the one the outermost trusted proxy appended to X-Forwarded-For;
    anything further left was written by the client and is not trusted. Without this, every visitor
    would share the proxy's address and one person's wrong passwords would lock everyone out.
    """
    proxies = getattr(settings, "PATHWAYS_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
