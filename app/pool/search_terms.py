"""The words of a search: what a query text looks for, on both databases.

The query as typed is cut to MAX_QUERY_LENGTH, lower-cased, split into words, stripped of Dutch
stop words (PostgreSQL's ``dutch`` configuration drops them; FTS5 would not) and cut to
MAX_TERMS words, so a pasted paragraph costs no more than a short search.
"""

from __future__ import annotations

import re

MAX_TERMS = 8
MAX_QUERY_LENGTH = 200


# --- query text ------------------------------------------------------------------------------

#: Dutch stop words (Snowball's list, the one PostgreSQL's `dutch` uses): dropped from queries
#: on SQLite too, so "werk in de zorg" looks for "werk" and "zorg" on both databases.
_STOP_WORDS_TEXT = """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
    een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets
    ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of
    om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren
    was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(q: str | None, *, stop_words: bool = True) -> list[str]:
    """The searchable words of a query: lower case, at most MAX_TERMS, and without Dutch stop
    words unless ``stop_words`` is False."""
    words = _WORD.findall((q or "")[:MAX_QUERY_LENGTH].casefold())
    terms = []
    for word in words:
        if word in terms or (len(word) < 2 and not word.isdigit()):
            continue
        if stop_words and word in STOP_WORDS:
            continue
        terms.append(word)
    return terms[:MAX_TERMS]
