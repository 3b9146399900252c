"""Verification codes: 135 random bits written in Crockford's base 32, plus one check character.

Printed and shown as seven groups of four (``7K2M-Q9XD-...``); stored without dashes, upper case. People
read these aloud, copy them from paper and type them on phones, so input is forgiving: spaces, dashes
and small letters are ignored, and the letters Crockford's alphabet leaves out because they look like
digits are read as those digits (O as 0, I and L as 1). The check character catches any single mistyped
character and most swapped neighbours before the database is asked, so a typo is told apart from a code
that does not exist.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U
RANDOM_LENGTH = 27  # 27 × 5 = 135 bits
LENGTH = RANDOM_LENGTH + 1
GROUP = 4
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")


def _check_symbol(body):
    # Odd weights are invertible modulo 32, so changing any one character changes the sum.
    total = sum((2 * position + 1) * _VALUES[symbol] for position, symbol in enumerate(body))
    return ALPHABET[total % 32]


def new_code():
    """A fresh code, normalized (no dashes)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + _check_symbol(body)


def normalize(typed):
    """What someone typed, as stored: no separators, upper case, look-alike letters read as digits."""
    return _SEPARATORS.sub("", typed or "").upper().translate(_LOOK_ALIKES)


def is_well_formed(code):
    """A normalized code of the right length, alphabet and check character."""
    if len(code) != LENGTH or any(symbol not in _VALUES for symbol in code):
        return False
    return _check_symbol(code[:RANDOM_LENGTH]) == code[RANDOM_LENGTH]


def grouped(code):
    """7K2M-Q9XD-...: easier to read aloud and to copy from paper."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
