"""How well do the claims match what a reader would call the same claim?

    python bench/claims_eval.py [--verbose] [--only NAME,NAME]

Per corpus: the seeds (tests/data/seed_claims.yaml, labels by passage), the held-out
reports of the same talks (tests/data/heldout_claims.yaml), and each invented event in
tests/data/events/<event>/ (labels by sentence in its labels.yaml). Prints
- the ``]`` jump: from each labelled sentence, with the cursor on the claim there that
  best matches its label, the first sentence of each other source in that claim:
  precision (landed on a sentence labelled with the same claim) and recall (of the other
  sources that state the labelled claim, how many are reached, correctly). With labels
  by paragraph (seeds, talks), every claim of a labelled paragraph jumps, and a jump is
  right when the two paragraphs share a label (as bench/related_eval.py scores);
- disagreement recall: labelled disagreements that come out as ONE claim holding every
  labelled source, with ``conflict`` right (numeric ones and the others apart);
- invented values: values whose offsets do not hold the text they claim (must be 0).
Events whose labels.yaml says ``held_out: true`` are reported apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from search.models import Claim  # noqa: E402
from search.text import sentence_at  # noqa: E402
from search.workspace import Workspace  # noqa: E402

Unit = tuple[str, int]  # (passage, sentence start); sentence 0 stands for a whole passage


def _units_of_labels(ws: Workspace, labels: dict, by_passage: bool) -> dict[str, set[Unit]]:
    by_prefix = {sid[:3]: sid for sid in ws.sources}
    out: dict[str, set[Unit]] = {}
    for name, entries in labels.items():
        units: set[Unit] = set()
        for entry in entries:
            if by_passage:
                src, ordinal = str(entry).split(":")
                units.add((f"{by_prefix[src]}:{ordinal}", 0))
                continue
            prefix, snippet = entry
            source = by_prefix[str(prefix)]
            hits = [p for p in ws.by_source[source] if snippet in p.text]
            if not hits:
                raise SystemExit(f"label not found: {name} {prefix} {snippet!r}")
            p = hits[0]
            units.add((p.id, sentence_at(p.text, p.text.index(snippet))[0]))
        out[name] = units
    return out


def _unit(s, by_passage: bool) -> Unit:  # type: ignore[no-untyped-def]
    return (s.passage, 0 if by_passage else s.start)


def evaluate(ws: Workspace, labels: dict, disagreements: list, by_passage: bool, verbose: bool):
    claims = ws.claims()
    truth = _units_of_labels(ws, labels, by_passage)
    source_of = {pid: ws.passages[pid].source for pid in ws.passages}
    units_of: dict[str, set[Unit]] = {
        c.id: {_unit(s, by_passage) for s in c.statements} for c in claims
    }
    at_unit: dict[Unit, list[Claim]] = {}
    for c in claims:
        for u in units_of[c.id]:
            at_unit.setdefault(u, []).append(c)

    def best(u: Unit, name: str) -> Claim | None:
        here = at_unit.get(u, [])
        if not here:
            return None
        return max(here, key=lambda c: (len(units_of[c.id] & truth[name]), -len(units_of[c.id])))

    good = produced = expected = 0
    if by_passage:  # labels by paragraph: a jump is right when both share a label
        labels_of: dict[Unit, set[str]] = {}
        for name, units in truth.items():
            for u in units:
                labels_of.setdefault(u, set()).add(name)
        reached: set[tuple[Unit, str, str]] = set()
        for u, names in sorted(labels_of.items()):
            me = source_of[u[0]]
            for c in at_unit.get(u, []):
                for src in c.sources:
                    if src == me:
                        continue
                    target = next(s for s in c.statements if s.source == src)
                    shared = names & labels_of.get(_unit(target, True), set())
                    produced += 1
                    good += bool(shared)
                    reached |= {(u, n, src) for n in shared}
                    if verbose and not shared:
                        print(f"  miss {c.label}: {u} -> {target.passage} {target.text[:60]!r}")
        for units in truth.values():
            for u in units:
                others = {source_of[v[0]] for v in units} - {source_of[u[0]]}
                expected += len(others)
        recall_good = len(reached)
        return _result(good, produced, expected, recall_good, claims, ws, (0, 0), (0, 0))
    for name, units in truth.items():
        for u in sorted(units):
            me = source_of[u[0]]
            wanted = {source_of[v[0]] for v in units} - {me}
            expected += len(wanted)
            c = best(u, name)
            if c is None:
                if verbose and wanted:
                    print(f"  no claim at {name}: {u}")
                continue
            for src in c.sources:
                if src == me:
                    continue
                target = next(s for s in c.statements if s.source == src)
                produced += 1
                ok = _unit(target, by_passage) in units
                good += ok and src in wanted
                if verbose and not ok:
                    print(f"  miss {name}: {u} -> {target.passage} {target.text[:70]!r}")
    found_numeric = total_numeric = found_other = total_other = 0
    for d in disagreements:
        name, numeric = d["claim"], d.get("numeric", True)
        units = truth[name]
        srcs = {source_of[u[0]] for u in units}
        candidates = {c.id: c for u in units for c in at_unit.get(u, [])}
        ok = False
        for c in candidates.values():
            covered = {source_of[u[0]] for u in units_of[c.id] & units}
            if covered == srcs and c.verdict in ("conflict", "compatible"):
                ok = (c.verdict == "conflict") == bool(d["conflict"])
                if ok:
                    break
        if numeric:
            total_numeric += 1
            found_numeric += ok
        else:
            total_other += 1
            found_other += ok
        if verbose and not ok:
            print(f"  disagreement missed: {name}")
    numeric, other = (found_numeric, total_numeric), (found_other, total_other)
    return _result(good, produced, expected, good, claims, ws, numeric, other)


def _result(good, produced, expected, reached, claims, ws, numeric, other) -> dict:  # type: ignore[no-untyped-def]
    invented = 0
    for c in claims:
        for s in c.statements:
            text = ws.passages[s.passage].text
            if text[s.start : s.end] != s.text:
                invented += 1
            v = s.value
            if v is not None and text[v.start : v.end] != v.text:
                invented += 1
    return {
        "jump_good": good, "jump_produced": produced, "jump_expected": expected,
        "jump_reached": reached, "numeric": numeric, "other": other,
        "invented": invented, "claims": len(claims),
        "multi": sum(len(c.sources) > 1 for c in claims),
    }  # fmt: skip


def _print(name: str, r: dict) -> None:
    p = r["jump_good"] / r["jump_produced"] if r["jump_produced"] else float("nan")
    rec = r["jump_reached"] / r["jump_expected"] if r["jump_expected"] else float("nan")
    n, o = r["numeric"], r["other"]
    print(
        f"{name:<14} ] precision {r['jump_good']}/{r['jump_produced']} ({p:.0%})  "
        f"recall {r['jump_reached']}/{r['jump_expected']} ({rec:.0%})  "
        f"disagreements numeric {n[0]}/{n[1]} other {o[0]}/{o[1]}  "
        f"invented {r['invented']}  claims {r['claims']} ({r['multi']} multi-source)"
    )


def main() -> None:
    verbose = "--verbose" in sys.argv
    only = None
    if "--only" in sys.argv:
        only = set(sys.argv[sys.argv.index("--only") + 1].split(","))
    corpora = [
        ("seeds", ROOT / "seeds", ROOT / "tests/data/seed_claims.yaml", True),
        (
            "talks-heldout",
            ROOT / "tests/data/heldout",
            ROOT / "tests/data/heldout_claims.yaml",
            True,
        ),
    ]
    for folder in sorted((ROOT / "tests/data/events").iterdir()):
        if (folder / "labels.yaml").exists():
            corpora.append((folder.name, folder, folder / "labels.yaml", False))
    held = []
    for name, folder, labels_path, by_passage in corpora:
        if only and name not in only:
            continue
        raw = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
        labels = raw if by_passage else raw["claims"]
        disagreements = [] if by_passage else raw.get("disagreements", [])
        ws = Workspace.open(folder, in_memory=True)
        try:
            if verbose:
                print(f"{name}:")
            result = evaluate(ws, labels, disagreements, by_passage, verbose)
        finally:
            ws.close()
        if not by_passage and raw.get("held_out"):
            held.append((name, result))
            continue
        _print(name, result)
    if held:
        print("held out of tuning:")
        for name, result in held:
            _print(name, result)


if __name__ == "__main__":
    main()
