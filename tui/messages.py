"""Messages that workers post to the main screen. Workers never touch widgets or app state."""

from __future__ import annotations

import threading

from textual.message import Message

from search.workspace import SearchResult, Workspace


class IndexProgress(Message):
    """Opening the corpus: ``stage`` is "reading" or "indexing"."""

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage, self.done, self.total = stage, done, total


class WorkspaceReady(Message):
    """``workspace`` is open; set ``shown`` once it is on screen (the loader waits on it)."""

    def __init__(self, workspace: Workspace, shown: threading.Event | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.shown = shown or threading.Event()


class AnalysisReady(Message):
    """Related passages and agreement are built for ``workspace``."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace


class WorkspaceFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class SearchDone(Message):
    """A search finished; ``generation`` lets the screen drop stale answers."""

    def __init__(
        self,
        generation: int,
        query: str,
        result: SearchResult | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.generation, self.query, self.result, self.error = generation, query, result, error
