"""What a search box takes: the first SEARCH_MAX_LENGTH characters typed. That is longer than anyone types and
far shorter than SQLite's 50,000-byte limit on a LIKE pattern, so a pasted page of text finds nothing rather
than failing."""

SEARCH_MAX_LENGTH = 200


def search_text(text):
    return (text or "")[:SEARCH_MAX_LENGTH]
