"""The process that builds a large corpus's analysis (see ``Workspace.prepare``):
``python -m search.analysis_child CORPUS INDEX_DIR``. Exit code 0 when the analysis
is built and saved beside the index; anything else means the app builds it itself.

A plain subprocess, not ``multiprocessing``: inside the app, stderr is Textual's
capture object, whose missing file descriptor made multiprocessing's spawn fail
("bad value(s) in fds_to_keep"), and a fork server would stay alive, idle."""

from __future__ import annotations

import sys

from .workspace import build_analysis


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m search.analysis_child CORPUS INDEX_DIR", file=sys.stderr)
        return 2
    build_analysis(argv[0], argv[1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
