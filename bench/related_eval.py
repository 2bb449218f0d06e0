"""How often does the best related passage of each other source report the same claim?

    python bench/related_eval.py [--verbose]

Reads the hand-labelled clusters in tests/data/seed_claims.yaml (see there), scores the
held-out reports of the same talks in tests/data/heldout/ (labels in
tests/data/heldout_claims.yaml), and the two invented corpora of other events in
tests/test_related.py (guards against tuning to the seeds only).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from search.workspace import Workspace  # noqa: E402


def evaluate(
    ws: Workspace, clusters: dict[str, list[str]], verbose: bool = False
) -> tuple[int, int]:
    by_prefix = {sid[:3]: sid for sid in ws.sources}

    def pid(short: str) -> str:
        src, ordinal = short.split(":")
        return f"{by_prefix[src]}:{ordinal}"

    members = {name: {pid(s) for s in shorts} for name, shorts in clusters.items()}
    good = total = 0
    for name, ids in members.items():
        for p in sorted(ids):
            claims = {n for n, m in members.items() if p in m}
            wanted = {ws.passages[q].source for n in claims for q in members[n]} - {
                ws.passages[p].source
            }
            best = {link.passage.source: link for link in ws.related_by_source(p)}
            for source in sorted(wanted):
                total += 1
                link = best.get(source)
                ok = link is not None and any(link.passage.id in members[n] for n in claims)
                good += ok
                if verbose and not ok:
                    got = link.passage.id if link else None
                    print(f"miss {name}: {p} -> {source[:3]}: got {got}")
    return good, total


def main() -> None:
    import tempfile
    import time

    verbose = "--verbose" in sys.argv
    clusters = yaml.safe_load((ROOT / "tests/data/seed_claims.yaml").read_text())
    ws = Workspace.open(ROOT / "seeds", in_memory=True)
    started = time.perf_counter()
    _ = ws.related_index
    built = time.perf_counter() - started
    good, total = evaluate(ws, clusters, verbose=verbose)
    print(f"seeds: {good}/{total} jumps land on the same claim ({good / total:.0%})")
    print(f"seeds: related index of {len(ws.passages)} passages built in {built * 1000:.0f} ms")

    held = Workspace.open(ROOT / "tests/data/heldout", in_memory=True)
    held_claims = yaml.safe_load((ROOT / "tests/data/heldout_claims.yaml").read_text())
    h_good, h_total = evaluate(held, held_claims, verbose=verbose)
    held.close()
    print(f"heldout: {h_good}/{h_total} jumps land on the same claim ({h_good / h_total:.0%})")
    both = (good + h_good) / (total + h_total)
    print(f"seeds+heldout: {good + h_good}/{total + h_total} ({both:.1%})")

    from tests.test_related import COUNCIL, COUNCIL_CLAIMS, QUAKE, QUAKE_CLAIMS

    for name, files, claims in (
        ("quake", QUAKE, QUAKE_CLAIMS),
        ("council", COUNCIL, COUNCIL_CLAIMS),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            for file, text in files.items():
                (Path(tmp) / file).write_text(text, encoding="utf-8")
            other = Workspace.open(tmp, in_memory=True)
            good, total = evaluate(other, claims, verbose=verbose)
            other.close()
        print(f"{name}: {good}/{total} jumps land on the same claim ({good / total:.0%})")


if __name__ == "__main__":
    main()
