"""Hostile inputs: a corpus of the five seeds mixed with files that try to break us."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from ..conftest import SEEDS

ESC = "\x1b"
# Terminal attacks: colour, cursor moves, clear screen, OSC 52 clipboard write, title change,
# an 8-bit CSI, bidi override, zero-width characters, other controls.
ANSI = (
    f"{ESC}[31mred{ESC}[0m {ESC}[2J{ESC}[H{ESC}[10;10H "
    f"{ESC}]52;c;cm0gLXJmIH4K{ESC}\\ {ESC}]0;pwned title\x07 "
    "\x9b31m \u202eevil\u202c zero\u200bwidth\u2060join \x07\x08\x0c\x7f"
)
MARKUP = "[/] [bold red]loud[/bold red] [@click=app.quit]click me[/] [link=https://x]l[/link]"
HOSTILE_TEXT = (
    "Hostile Report\n\n"
    f"The markup {MARKUP} stays literal in the hostile report.\n\n"
    f"The escapes {ANSI} never reach the terminal in the hostile report.\n\n"
    "Officials said 42 drones were shot down over the hostile border.\n"
)
# Names: spaces, unicode, leading dashes, markup and escapes (all legal on Linux).
NAMES = {
    "with spaces in name.txt": "Spaces Report\n\nThe spaced report mentions Kyiv.\n",
    "ünïcödé – 報道.md": "Unicode Report\n\nThe unicode named report mentions Ankara.\n",
    "-rf.txt": "Dash Report\n\nThe dash report was filed from Geneva on Tuesday.\n",
    "--help.md": "Help Report\n\nThe help report was filed from Vienna.\n",
    "[bold red]markup[@click=app.quit] name.txt": "Markup Name\n\nA file about Warsaw.\n",
}
EVIL_NAME = f"{ESC}]0;owned{ESC}\\{ESC}[31m\u202eevil[@click=app.quit].txt"


def copy_seeds(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)


def build_hostile(folder: Path) -> dict[str, str]:
    """Write the mixed corpus; return {file name: expected skip reason word} for bad ones."""
    copy_seeds(folder)
    bad: dict[str, str] = {}

    def put(name: str, data: bytes | str, reason: str | None = None) -> None:
        path = folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        if reason:
            bad[name] = reason

    put("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary")
    put(
        "latin1.txt",
        "Caf\xe9 Report\n\nThe caf\xe9 in S\xe3o Paulo hosted the d\xe9l\xe9gation.\n".encode(
            "latin-1"
        ),
    )
    put(
        "cp1252.txt",
        "Quote Report\n\n\u201cWe talk\u201d \u2013 said the envoy of the \u20ac5 fee.\n".encode(
            "cp1252"
        ),
    )
    put(
        "utf16.txt",
        "UTF16 Report\n\nThe sixteen-bit report mentions Erdo\u011fan.\n".encode("utf-16"),
    )
    put("empty.txt", b"", "empty")
    put("blank.md", " \n\t\n  \r\n\u3000\n", "empty")
    put("hostile.md", HOSTILE_TEXT)
    put(EVIL_NAME, "Evil Name Report\n\nThe evil named report mentions Minsk.\n")
    # a file name that is not UTF-8 (Latin-1 bytes): Python sees a lone surrogate
    with open(os.path.join(os.fsencode(folder), b"caf\xe9 latin name.txt"), "wb") as fh:
        fh.write(b"Latin Name Report\n\nThe latin named report mentions Riga.\n")
    for name, text in NAMES.items():
        put(name, text)
    (folder / "x.txt").mkdir()  # a folder named like an article
    (folder / "x.txt" / "inner.txt").write_text(
        "Inner Report\n\nThe inner report sits in a folder named x.txt.\n", encoding="utf-8"
    )
    os.symlink("loop.txt", folder / "loop.txt")  # symlink to itself
    bad["loop.txt"] = "cannot read"
    os.symlink("nowhere.txt", folder / "dangling.txt")
    bad["dangling.txt"] = "cannot read"
    (folder / "dirloop").mkdir()
    os.symlink("..", folder / "dirloop" / "up")  # a folder loop: never followed
    os.mkfifo(folder / "fifo.txt")  # reading it would block forever
    bad["fifo.txt"] = "not a regular file"  # (a named pipe)
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(folder / "sock.md"))
        bad["sock.md"] = "not a regular file"
    except OSError:
        pass
    finally:
        sock.close()
    (folder / "sources.yaml").write_text(
        'hostile.md:\n  outlet: "[/] \\e[31mOutlet[@click=app.quit]\\u202e"\n'
        "  url: https://example.org/hostile\n",
        encoding="utf-8",
    )
    return bad


@pytest.fixture
def hostile_corpus(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "hostile corpus"
    return folder, build_hostile(folder)
