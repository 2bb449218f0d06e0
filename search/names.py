"""Canonical names across a corpus.

Outlets spell the same entity differently (Erdogan/Erdoğan, Kiev/Kyiv, "Umerov" after
"Rustem Umerov", "Oleshky/Aleshki"). Comparing facts across sources only works once every
mention of one entity carries one name, so this module groups the written forms and picks one
display form per group. Rules are data (``data/facts_aliases.yaml``, the ``known`` people in
``data/facts_people.yaml``); the code only knows how to join.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache

from .rules import load_rules

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_NON_WORD = re.compile(r"[^0-9a-z]+")


@cache
def _unidecode():
    """unidecode is imported lazily: only the corpus-wide pass needs it (its import is not free)."""
    from unidecode import unidecode

    return unidecode


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Comparison key: ASCII-folded, lower case, no possessive, punctuation or leading 'the'."""
    name = _POSSESSIVE.sub("", name.strip())
    key = _NON_WORD.sub(" ", _unidecode()(name).lower()).strip()
    return key[4:] if key.startswith("the ") else key


@cache
def aliases() -> dict[str, str]:
    """fold(variant) -> canonical, from facts_aliases.yaml and the known people."""
    out: dict[str, str] = {}
    table = load_rules("facts_aliases")
    table.update(load_rules("facts_people").get("known", {}))
    for canonical, variants in table.items():
        for form in [canonical, *(variants or [])]:
            out.setdefault(fold(str(form)), str(canonical))
    return out


class _Groups:
    """Union-find over folded names, remembering every written form and its weight."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.forms: dict[str, Counter[str]] = {}
        self.forced: dict[str, str] = {}

    def add(self, form: str, weight: int = 1) -> str:
        key = fold(form)
        if not key:
            return key
        self.parent.setdefault(key, key)
        self.forms.setdefault(key, Counter())[form] += weight
        canonical = aliases().get(key)
        if canonical is not None:
            ckey = fold(canonical)
            self.parent.setdefault(ckey, ckey)
            self.forms.setdefault(ckey, Counter())
            self.forced[ckey] = canonical
            self.union(key, ckey)
        return key

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def join_partial_names(self) -> None:
        """Join "Umerov" / "Tayyip Erdoğan" to the one longer name that ends the same way;
        leave them alone when several full names would fit ("Smith": John or Jane)."""
        keys = list(self.parent)
        # multi-word keys by last token: only those can fit (was all pairs, quadratic)
        by_last: dict[str, list[tuple[str, set[str]]]] = {}
        for m in keys:
            if " " in m:
                toks = m.split()
                by_last.setdefault(toks[-1], []).append((m, set(toks)))
        for key in keys:
            tokens = key.split()
            own = set(tokens)
            fits = {
                self.find(m)
                for m, mtokens in (by_last.get(tokens[-1], ()) if tokens else ())
                if m != key and own < mtokens
            }
            fits.discard(self.find(key))
            if len(fits) == 1:
                self.union(fits.pop(), key)

    def canonical(self) -> dict[str, str]:
        """key -> display form: forced alias, else most tokens, diacritics, most frequent."""
        members: dict[str, list[str]] = {}
        for key in self.parent:
            members.setdefault(self.find(key), []).append(key)
        out: dict[str, str] = {}
        for keys in members.values():
            forced = [self.forced[k] for k in keys if k in self.forced]
            if forced:
                best = forced[0]
            else:
                counts: Counter[str] = Counter()
                for k in keys:
                    counts.update(self.forms[k])
                best = max(
                    [f for f in counts if counts[f] > 0] or list(counts),
                    key=lambda f: (
                        len(f.split()),
                        f != f.encode("ascii", "ignore").decode(),
                        counts[f],
                    ),
                )
            for k in keys:
                out[k] = best
        return out


def canonical_names(entries: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    """Map (group, written form) -> canonical form.

    ``entries`` are (group, form, raw_text) triples; ``raw_text`` is the text as written in the
    article, used for slash pairs ("Oleshky/Aleshki") and acronym definitions (an org fact
    whose text "SBU" was given the value "Security Service of Ukraine")."""
    groups: dict[str, _Groups] = {}
    seen: dict[tuple[str, str], None] = {}  # each written form once
    for group, form, raw in entries:
        g = groups.setdefault(group, _Groups())
        # the first form of a slash pair is how the writer names it first: weigh it up
        key = g.add(form, weight=3 if "/" in raw else 1)
        seen[group, form] = None
        if "/" in raw:
            for part in raw.split("/"):
                if part.strip():
                    g.union(key, g.add(part.strip(), weight=0))
        elif raw and raw != form and fold(raw) != key:
            g.union(key, g.add(raw, weight=0))
    for g in groups.values():
        g.join_partial_names()
    tables = {name: g.canonical() for name, g in groups.items()}
    return {(group, form): tables[group][fold(form)] for group, form in seen if fold(form)}
