"""The query language around the Whoosh parser: checks it forgives silently, hints,
and the rewriting of its parse (filters resolved, fuzzy and prefix folded, headlines).

Part of the Whoosh boundary (only ``engine`` imports it). Lucene conventions, AND as the
default operator: ``OR``, ``NOT``, ``-word`` (excluded), ``+word`` (required, as every
word is), ``"phrase"``, ``pre*``, ``fuzzy~`` (``fuzzy~2``). Filters are fields whose
value is resolved here, one entry of ``FILTERS`` each: ``source:`` (id, file name,
outlet words, quoted or not), ``date:`` (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ranges),
``title:`` (the headline's words). A value that names nothing (``source:nope``) or no
real day (``date:2025-02-30``) is a ``QueryError``, not an empty result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Protocol

from whoosh import query as wq
from whoosh.support.charset import accent_map

from .errors import QueryError
from .fuzzy import DamerauFuzzy
from .phrase import Phrase

# Plain words also match the headline above the article's first passage, a little
# below a match in the passage itself.
HEAD_BOOST = 0.5
FIELDS = ("text", "source", "date", "title")
_FIELD_RE = re.compile(r"(?<![\w\"])([A-Za-z_]\w*):(?=\S)")
_DATE_VALUE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
# "-word" and "+word" only at the start of a word: "all-for-all" and "2-3" are words
PLUS = r"(?:(?<=^)|(?<=[\s(]))\+(?=[^\s+-])"
MINUS = r"(?:(?<=^)|(?<=[\s(]))-(?=[^\s+-])"
_LOWER_OPERATOR = re.compile(r"(?<=\S)\s+(or|not)\s+(?=\S)")

NOTHING = "\x00"  # a source_id no source has: a filter that names none matches nothing


class Lookup(Protocol):
    """What filters ask the index while a query is resolved."""

    def known(self, field: str, term: str) -> bool:
        """Does some passage hold ``term`` in ``field``?"""
        ...

    def sources(self, q: wq.Query) -> list[str]:
        """The ids of the sources of the passages ``q`` matches."""
        ...


def plus_minus_plugin():  # type: ignore[no-untyped-def]
    """Whoosh's ``+``/``-`` plugin for an AND-ed language (Lucene with AND as its default
    operator): ``-word`` excludes; ``+word`` requires, as every word already is, so the
    other words stay required too (Whoosh's own plugin would make them optional: then
    ``ceasefire +Medinsky`` found more than ``ceasefire Medinsky``)."""
    from whoosh.qparser import PlusMinusPlugin, syntax

    class AndPlusMinus(PlusMinusPlugin):
        def do_plusminus(self, parser, group):  # type: ignore[no-untyped-def]
            if isinstance(group, syntax.AndGroup):
                group = syntax.AndGroup([n for n in group if not isinstance(n, self.Plus)])
            return super().do_plusminus(parser, group)

    return AndPlusMinus(PLUS, MINUS)


def check_syntax(text: str) -> None:
    """Raise ``QueryError`` for what the Whoosh parser would silently mis-read."""
    if not text.strip():
        raise QueryError("empty query: type a word to search for")
    # a phrase stands for a word: '"red cross" OR aid' starts with a word, not with OR
    unquoted = _unquoted(text)
    if unquoted.count('"') % 2:
        raise QueryError('unclosed quote in the query: add the closing "')
    depth = 0
    for ch in unquoted:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            raise QueryError("a ')' in the query has no matching '('")
    if depth:
        raise QueryError("unclosed '(' in the query: add the closing ')'")
    for m in re.finditer(r"\b\w+:([\[{])", unquoted):  # a range: date:[A TO B]
        if not re.match(r"[^\]}]*[\]}]", unquoted[m.end() :]):
            close = "]" if m.group(1) == "[" else "}"
            raise QueryError(f"unclosed range in the query: end it with '{close}'")
    words = unquoted.replace("(", " ").replace(")", " ").split()
    if words and words[0] in ("AND", "OR"):
        raise QueryError(f"the query starts with {words[0]}: put a word before it")
    if words and words[-1] in ("AND", "OR", "NOT"):
        raise QueryError(f"the query ends with {words[-1]}: put a word after it")
    for m in _FIELD_RE.finditer(unquoted):
        name = m.group(1)
        if name not in FIELDS:
            raise QueryError(f"unknown field '{name}:' (use source:, date:, title: or plain words)")


def hints(text: str, q: wq.Query | None = None) -> tuple[str, ...]:
    """Notes on a query (``text``, parsed as ``q``) that runs but may not mean what was
    meant."""
    out = []
    found = sorted({m.group(1) for m in _LOWER_OPERATOR.finditer(_unquoted(text))})
    if found:
        said = " and ".join(f'"{w}"' for w in found)
        out.append(f"{said} in lower case is searched as a word: use OR / NOT for operators")
    if q is not None and isinstance(q, type(wq.NullQuery)):
        out.append(
            "nothing to search for: only excluded words (-word) or common words "
            "(the, of, …) in the query"
        )
    return tuple(out)


def _unquoted(text: str) -> str:
    return re.sub(r'"[^"]*"', " _ ", text)


# --- filters: field -> resolution of the parser's node -----------------------------------


def _source_key(value: str) -> str:
    """A ``source:`` value as the index keys it (see ``source_keys``)."""
    return re.sub(r"[\s,]+", "-", value.strip().lower())


def source_keys(sid: str, path: str, outlet: str | None) -> list[str]:
    """What ``source:`` matches: the id, the file name with and without its extension,
    and the outlet: whole (words joined by "-"), each run of its words, each word of
    more than two letters."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    keys = {sid.lower(), name, name.rsplit(".", 1)[0] if "." in name else name}
    if outlet:
        words = re.findall(r"\w+", outlet.lower())
        keys.add(_source_key(outlet))
        for i in range(len(words)):
            for j in range(i + 2, min(len(words), i + 8) + 1):
                keys.add("-".join(words[i:j]))
        keys.update(w for w in words if len(w) > 2)
    return sorted({_source_key(k) for k in keys if k})


def _resolve_source(node: wq.Query, lookup: Lookup) -> wq.Query:
    if isinstance(node, wq.Term | wq.Phrase):
        value = " ".join(node.words) if isinstance(node, wq.Phrase) else str(node.text)
        key = _source_key(value)
        if not lookup.known("source", key):
            raise QueryError(
                f"source:{value} names no source (use an id, a file name or outlet "
                "words; see: talks-tui sources)"
            )
        return wq.Term("source", key, boost=node.boost)
    return node  # a prefix or a range: matching nothing is its answer


def _day(value: str) -> str:
    if not _DATE_VALUE.fullmatch(value):
        raise QueryError(f"date:{value} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        dt.date(*parts[:3])
    except ValueError:
        raise QueryError(f"date:{value} is not a date: no such day or month") from None
    return value


def _resolve_date(node: wq.Query, lookup: Lookup) -> wq.Query:
    if isinstance(node, wq.Term):
        value = _day(str(node.text))
        return wq.Prefix("date", value) if len(value) < 10 else node
    if isinstance(node, wq.TermRange):
        for end in (node.start, node.end):
            if end:
                _day(str(end))
    return node


def _resolve_title(node: wq.Query, lookup: Lookup) -> wq.Query:
    """``title:`` is matched on the headlines (the ``head`` field of each source's first
    passage) and stands for the sources whose headline matches: the title is not indexed
    again on every passage."""
    sources = lookup.sources(_on_field(node, "head"))
    return wq.Or([wq.Term("source_id", sid) for sid in sources or [NOTHING]])


# One entry per filter field (a ``tag:`` filter is one more), each resolving the parsed
# node into a query on the indexed fields.
FILTERS: dict[str, Callable[[wq.Query, Lookup], wq.Query]] = {
    "source": _resolve_source,
    "date": _resolve_date,
    "title": _resolve_title,
}


def fixer(ana, lookup: Lookup):  # type: ignore[no-untyped-def]
    """Post-parse fixes: fuzzy and prefix terms get the folding (and, for fuzzy, stemming
    and swaps) of the indexed text, so ``Erdoğ*`` and ``Medinksy~`` find what they should;
    phrases get a faster matcher; each text leaf also matches the headline (``head``)
    with ``HEAD_BOOST``; filters are resolved (``FILTERS``)."""

    def fold(text: str) -> str:
        return "".join(t.text for t in ana(text, mode="query", removestops=False)) or text.lower()

    def fix(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.AndNot):
            # "a -b" as "a NOT b": Whoosh 2.7's AndNot matcher let through some
            # passages its negative side matched (on a filter: -title:x)
            return wq.And([node.a, wq.Not(node.b)])
        field = node.field() if node.is_leaf() or isinstance(node, wq.Phrase) else None
        if field in FILTERS and field not in WORDED:
            return FILTERS[field](node, lookup)
        if type(node) is wq.Phrase:
            node = Phrase.of(node)  # the same matches, found faster (search/phrase.py)
        elif isinstance(node, wq.FuzzyTerm) and field in WORDED:
            node = DamerauFuzzy.of(node, fold)
        elif isinstance(node, wq.Prefix) and field in WORDED:
            node.text = accent_fold(node.text.lower())
        if field == "text":
            return wq.Or([node, _on_field(node, "head", HEAD_BOOST)])
        if field in FILTERS:
            return FILTERS[field](node, lookup)
        return node

    return fix


WORDED = ("text", "title")  # fields of words: folded, stemmed and fuzzy as the text is


def _on_field(node: wq.Query, field: str, boost: float = 1.0) -> wq.Query:
    copy = node.copy()
    copy.fieldname = field
    copy.boost = node.boost * boost
    return copy


def accent_fold(text: str) -> str:
    return text.translate(accent_map)
