"""Errors the engine raises on purpose. Each carries one clear line for the user."""


class TalksError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence."""


class CorpusError(TalksError):
    """The corpus folder is missing, empty, unreadable, or its metadata is invalid."""


class QueryError(TalksError):
    """A search query that cannot be parsed."""


class IndexBusyError(TalksError):
    """Another process holds the index's write lock for longer than we wait."""


class ExportError(TalksError):
    """The Markdown note could not be written (nothing was lost)."""


class IndexWriteError(TalksError):
    """The index could not be written at all (disk full, read-only): nothing was lost."""


class StoreError(TalksError):
    """The notebook (tags, notes, selection, history) cannot be read or written."""


class SkipFile(Exception):
    """Raised by ``read_article`` for a file that cannot be used: ``str(err)`` is the
    reason the file is listed as skipped. Here, below the corpus scan and the format
    readers that both raise it."""
