"""One measurement in a fresh interpreter: ``python -m bench.child OUT T0 MODE ARGS…``.

``T0`` is the parent's ``time.time()`` just before it started this process, so start-up
figures include the interpreter and every import. The result is one JSON object in OUT.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path

SIZE = (120, 40)


OUT: Path | None = None


def _save(result: dict) -> None:
    if OUT is not None:
        OUT.write_text(json.dumps(result))


def _rss_mb() -> float:
    """This process's RSS high-water mark in MB.

    Linux's ``getrusage().ru_maxrss`` carries the parent's high-water mark across
    fork/vfork + exec, so a child of a big parent reports the parent's size; the kernel's
    per-process ``VmHWM`` does not. Use it where it exists, getrusage elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux/BSD: KiB


async def _start_app(corpus: Path, index_dir: Path, t0: float) -> dict:
    from tui.app import make_app
    from tui.config import Config
    from tui.widgets.reader import Reader

    app = make_app(corpus, index_dir, Config())
    async with app.run_test(size=SIZE) as pilot:
        # Not workers.wait_for_complete(): the loader goes on to build the related-passage
        # and agreement structures after the screen is usable (reading and searching);
        # waiting for it measured prepare(), not the start.
        reader = app.query_one(Reader)
        while reader.option_count == 0:
            await pilot.pause(0.005)
            if time.time() - t0 > 600:
                raise TimeoutError("the reader never filled")
        seconds = time.time() - t0
        result = {"seconds": seconds, "options": reader.option_count}
        _save(result)  # before teardown, which is not part of the figure
        await app.workers.wait_for_complete()  # analysis: reported, not part of the figure
        result["analysis_seconds"] = time.time() - t0
        _save(result)
        await pilot.pause()  # let queued messages (e.g. the reader's first Moved) settle
    return result


async def _start_minimal(index_dir: Path, t0: float) -> dict:
    from textual.widgets import OptionList

    from bench.minimal_app import MinimalApp

    app = MinimalApp(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        reader = app.query_one("#reader", OptionList)
        while reader.option_count == 0:
            await pilot.pause(0.005)
            if time.time() - t0 > 600:
                raise TimeoutError("the reader never filled")
        seconds = time.time() - t0
        result = {"seconds": seconds, "options": reader.option_count}
        _save(result)  # before teardown, which is not part of the figure
        await pilot.pause()  # let queued messages (e.g. the reader's first Moved) settle
    return result


class _Paints:
    """Times from a query to the end of the first screen refresh after ``mark()`` (the
    app has applied its results), by wrapping the screen's compositor refresh."""

    def __init__(self, screen) -> None:  # type: ignore[no-untyped-def]
        self.applied = False
        self.done = asyncio.Event()
        self.t1 = 0.0
        refresh = screen._compositor_refresh

        def refreshed() -> None:
            refresh()
            if self.applied and not self.done.is_set():
                self.t1 = time.perf_counter()
                self.done.set()

        screen._compositor_refresh = refreshed

    def mark(self) -> None:
        self.applied = True

    async def measure(self, start_query) -> float:  # type: ignore[no-untyped-def]
        self.applied = False
        self.done.clear()
        t0 = time.perf_counter()
        start_query()
        await asyncio.wait_for(self.done.wait(), 60)
        return self.t1 - t0


async def _keystroke(corpus: Path, index_dir: Path, repeat: int) -> dict:
    """Query to results painted, in the app: the time from the search pane's message that
    typing paused (what a keystroke sends once the debounce has passed) to the end of the
    first screen refresh after the app applied the results (results list, sources' hit
    counts, reader highlights). Headless: the refresh renders every changed line, but the
    driver writes no escape sequences to a terminal."""
    from bench.measure import QUERIES
    from tui.app import make_app
    from tui.config import Config
    from tui.screens.main import RESULTS
    from tui.widgets.search import ResultsList, SearchPane

    app = make_app(corpus, index_dir, Config())
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        paints = _Paints(app.screen)
        main = app.main
        apply = main._apply_result

        def applied() -> None:
            apply()
            paints.mark()

        main._apply_result = applied  # type: ignore[method-assign]
        pane = app.query_one(SearchPane)
        results = app.query_one(ResultsList)
        latencies, engine, shown = [], [], 0
        for n in range(repeat + 1):  # the first pass warms up (lazy imports, caches)
            for q in QUERIES:
                took = await paints.measure(
                    lambda q=q: pane.post_message(SearchPane.QueryChanged(q))
                )
                if n:
                    latencies.append(took)
                    shown += results.option_count
                    t = time.perf_counter()
                    app.main.ws.search(q, limit=RESULTS)  # the engine alone, as the app calls it
                    engine.append(time.perf_counter() - t)
                await pilot.pause()  # settle (not timed)
        # As typed: the last letter of the query lands in the box, so the pause before a
        # search (the debounce) is inside the figure.
        box = pane.query_one("#query")
        typed = []
        for n in range(repeat + 1):
            for q in QUERIES:
                box.value = q[:-1]  # type: ignore[attr-defined]
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                took = await paints.measure(lambda q=q: setattr(box, "value", q))
                if n:
                    typed.append(took)
                await pilot.pause()
    return {"latencies": latencies, "engine": engine, "shown": shown, "typed": typed}


async def _keystroke_minimal(index_dir: Path, repeat: int) -> dict:
    """The same figure in the minimal app: a raw Whoosh search in a thread worker, its top
    hits as plain options of one list, to the end of the first refresh after that."""
    from textual.widgets import OptionList

    from bench.measure import QUERIES
    from bench.minimal_app import MinimalApp
    from tui.screens.main import RESULTS

    app = MinimalApp(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        paints = _Paints(app.screen)
        results = app.query_one("#results", OptionList)
        show = app.show_results

        def shown(hits: list[tuple[str, str]]) -> None:
            show(hits)
            results.refresh()  # an empty list replacing an empty list paints nothing
            paints.mark()

        app.show_results = shown  # type: ignore[method-assign]
        latencies = []
        for n in range(repeat + 1):  # the first pass warms up
            for q in QUERIES:
                took = await paints.measure(lambda q=q: app.run_search(q, RESULTS))
                if n:
                    latencies.append(took)
                await pilot.pause()
    return {"latencies": latencies, "listed": results.option_count}


class _ScreenPaints:
    """Times from a key to the end of the first screen refresh, on a screen of class
    ``screen``, that painted every row in view of its line-API widget ``rows`` (the
    first screen of rows), by wrapping the class's compositor refresh and the widget's
    ``render_line`` for the duration of the measurement."""

    def __init__(self, screen: type, rows: type) -> None:
        self.screen, self.rows = screen, rows
        self.done = asyncio.Event()
        self.armed = False
        self.t1 = 0.0
        self.painted: set[int] = set()
        self._refresh = screen._compositor_refresh  # type: ignore[attr-defined]
        self._render_line = rows.render_line  # type: ignore[attr-defined]
        paints = self

        def refreshed(s) -> None:  # type: ignore[no-untyped-def]
            paints._refresh(s)
            if not paints.armed or paints.done.is_set() or s is not s.app.screen:
                return
            widget = s.query_one(paints.rows)
            height = widget.scrollable_content_region.height
            want = min(height, widget.virtual_size.height)
            if want > 0 and set(range(want)) <= paints.painted:
                paints.t1 = time.perf_counter()
                paints.done.set()

        def render_line(w, y: int):  # type: ignore[no-untyped-def]
            if paints.armed:
                paints.painted.add(y)
            return paints._render_line(w, y)

        screen._compositor_refresh = refreshed  # type: ignore[attr-defined]
        rows.render_line = render_line  # type: ignore[attr-defined]

    def restore(self) -> None:
        self.screen._compositor_refresh = self._refresh  # type: ignore[attr-defined]
        self.rows.render_line = self._render_line  # type: ignore[attr-defined]

    async def measure(self, app, key: str) -> float:  # type: ignore[no-untyped-def]
        from textual import events

        self.done.clear()
        self.painted = set()
        self.armed = True
        t0 = time.perf_counter()
        event = events.Key(key, key)
        event.set_sender(app)
        app._driver.send_message(event)  # as a key press arrives (see Pilot.press)
        await asyncio.wait_for(self.done.wait(), 120)
        self.armed = False
        return self.t1 - t0


async def _claim_map(corpus: Path, index_dir: Path, runs: int) -> dict:
    """Key ``m`` to the claim map's first screen of rows painted (the grid's header and
    every claim row in view), then escape (not timed), ``runs`` times after two untimed
    opens. The reference, in the same app: ``m`` pushing a bare screen of one line-API
    list of the same claims' labels, made beforehand (``bench.minimal_app.RowsScreen``)."""
    import tui.screens.claims as claims_screen
    from bench.minimal_app import PlainRows, RowsScreen
    from tui.app import make_app
    from tui.config import Config
    from tui.screens.claims import ClaimMapScreen
    from tui.widgets.claimgrid import ClaimGrid

    app = make_app(corpus, index_dir, Config())
    t0 = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        ready = time.perf_counter() - t0
        ws = app.main.ws
        assert ws is not None and app.main.analysed

        async def opens(screen: type, rows: type) -> list[float]:
            """Every open; the first two warm up (lazy imports, caches)."""
            paints = _ScreenPaints(screen, rows)
            out = []
            try:
                for _ in range(runs + 2):
                    out.append(await paints.measure(app, "m"))
                    await pilot.press("escape")
                    await pilot.pause()
                    assert app.screen is app.main
            finally:
                paints.restore()
            return out

        ours = await opens(ClaimMapScreen, ClaimGrid)
        engine = []
        for _ in range(runs):
            t = time.perf_counter()
            ws.claims()
            engine.append(time.perf_counter() - t)
        labels = [c.label for c in ws.claims()]
        real = claims_screen.open_claim_map
        claims_screen.open_claim_map = lambda main: main.app.push_screen(RowsScreen(labels))
        try:
            floor = await opens(RowsScreen, PlainRows)
        finally:
            claims_screen.open_claim_map = real
        result = {
            "first": ours[0],
            "latencies": ours[2:],
            "floor": floor[2:],
            "engine": engine,
            "claims": len(labels),
            "sources": len(ws.sources),
            "ready_seconds": ready,
        }
    return result


def _claims_build(corpus: Path, index_dir: Path) -> dict:
    """The claims of the corpus built from its facts, read source by source as the
    analysis process does after a corpus change (the open is timed apart)."""
    from search.claims import ClaimSet
    from search.workspace import Workspace

    t = time.perf_counter()
    ws = Workspace.open(corpus, index_dir)
    opened = time.perf_counter() - t
    t = time.perf_counter()
    claims = ClaimSet.build_streamed(ws.passages, ws._stated())
    built = time.perf_counter() - t
    ws.close()
    return {
        "open_seconds": opened,
        "claims_seconds": built,
        "claims": len(claims.claims),
    }


def _memory(corpus: Path, index_dir: Path) -> dict:
    from search.workspace import Workspace

    ws = Workspace.open(corpus, index_dir)
    ws.prepare()
    # Then use it as the app does: a search, and a walk over passages with their facts,
    # related passages and compared facts.
    ws.search("minister OR ceasefire")
    for pid in list(ws.passages)[:: max(1, len(ws.passages) // 50)]:
        ws.related_by_source(pid)
        for fact in ws.facts.get(pid, ()):
            ws.compare_fact(fact)
    return {"maxrss_mb": _rss_mb(), "passages": len(ws.passages)}


def _builder(corpus: Path, index_dir: Path) -> dict:
    """What the process that builds a large corpus's analysis does (see
    Workspace.prepare), in this fresh process, for its peak."""
    from search.workspace import build_analysis

    build_analysis(str(corpus), str(index_dir))
    return {"maxrss_mb": _rss_mb()}


def _memory_minimal(index_dir: Path) -> dict:
    from whoosh import index as windex

    ix = windex.open_dir(str(index_dir))
    with ix.searcher() as s:
        texts = [f["text"] for f in s.all_stored_fields()]
    return {"maxrss_mb": _rss_mb(), "passages": len(texts)}


def main(argv: list[str]) -> int:

    global OUT
    out, t0, mode, *args = argv
    OUT = Path(out)
    start = float(t0)
    paths = [Path(a) for a in args]
    if mode == "app":
        try:
            result = asyncio.run(_start_app(paths[0], paths[1], start))
        except Exception as err:  # noqa: BLE001 - a crash at teardown, after the figure
            if not OUT.exists():
                raise
            result = json.loads(OUT.read_text())
            result["teardown_error"] = f"{type(err).__name__}: {err}"
            print(f"app teardown raised {result['teardown_error']}", file=sys.stderr)
    elif mode == "minimal":
        result = asyncio.run(_start_minimal(paths[0], start))
    elif mode == "keystroke":
        result = asyncio.run(_keystroke(paths[0], paths[1], int(args[2])))
    elif mode == "keystroke-minimal":
        result = asyncio.run(_keystroke_minimal(paths[0], int(args[1])))
    elif mode == "claim-map":
        result = asyncio.run(_claim_map(paths[0], paths[1], int(args[2])))
    elif mode == "claims-build":
        result = _claims_build(paths[0], paths[1])
    elif mode == "memory":
        result = _memory(paths[0], paths[1])
    elif mode == "builder":
        result = _builder(paths[0], paths[1])
    elif mode == "memory-minimal":
        result = _memory_minimal(paths[0])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    Path(out).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
