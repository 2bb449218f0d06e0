"""Hard facts of a passage: numbers and what they count, dates, people, places,
organisations, and quotes with their speaker.

Rule-based on purpose: it runs offline, in milliseconds per passage, and every decision can be
traced to a rule. Word lists and rules live in ``data/facts_*.yaml``; this module only knows
the shapes of the patterns. Spelled numbers go through word2number; weekday and month
arithmetic through dateutil.relativedelta.

Conventions (documented here because other modules and tests rely on them):

* ``Fact.start/end`` index ``passage.text`` and ``passage.text[start:end] == fact.text``.
* Numbers: ``text`` is the number as written without its qualifier ("500", "2–3",
  "several hundred", "an hour"); ``qualifier`` is the word(s) before it ("over", "at least");
  ranges have ``value`` = low and ``high`` = upper bound and are approximate; vague amounts
  ("several hundred", "dozens", "tens of thousands") have ``value`` = a low bound and
  ``high`` = an upper bound from ``facts_numbers.yaml`` (several hundred = 200..900).
* Dates: ``value`` is ISO: 'YYYY-MM-DD' for a day, 'YYYY-MM' for a month, 'YYYY' for a year,
  'YYYY-Www' (ISO week) for "next week"/"this week". A range ("between June 20 and 30") is one
  fact whose value is the start date; ``high`` stays None. A weekday is the latest such day
  on/before the article date, or the first on/after it when its sentence looks forward
  ("will", "next"...). Without an article date, anything relative (weekdays, "today",
  "next week", a month or day without a year) has value None: never guessed.
* Names are as written (possessive dropped) or the gazetteer's canonical form; run
  :func:`canonicalize` over the whole corpus to join "Umerov" to "Rustem Umerov".
* Quotes: ``text`` includes the quote marks, ``value`` is the inner text without a trailing
  comma; ``speaker`` is the name (not yet canonical) where the text says, else None. Quotes of
  fewer than ``min_quote_words`` words (scare quotes) are skipped.

The package: ``rules`` (the YAML, loaded and compiled once), ``common`` (what every
extractor shares), ``dates``, ``numbers``, ``people`` (places and organisations too),
``quotes``, and ``extract`` (the public functions re-exported here).
"""

from __future__ import annotations

# the internals tests/test_facts.py checks
from .common import _URL, _URL_NEEDLES, _folded, _may_hold, _needles  # noqa: F401, E402
from .extract import (
    canonicalize,
    extract_article_facts,
    extract_facts,
    name_table,
    with_canonical_name,
)
from .rules import _NOT_FOLDABLE, _rules  # noqa: F401, E402

__all__ = [
    "canonicalize",
    "extract_article_facts",
    "extract_facts",
    "name_table",
    "with_canonical_name",
]
