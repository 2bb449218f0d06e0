"""Where bundled data lives: beside the source tree, or inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """``seeds`` or ``themes``: the repo's folder in a checkout, the wheel's copy otherwise."""
    in_repo = _HERE.parent / name
    if in_repo.is_dir():
        return in_repo
    return _HERE / "bundled" / name


def export_folder(configured: str | None) -> Path:
    """Where notes go unless the user picks a file: the configured ``export_dir``, else
    the user's documents folder (never the working directory, which may be the corpus)."""
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_documents_path()
