"""Neutralise untrusted text once, at the door, so nothing downstream has to.

Article text, file names and YAML values may carry terminal escape sequences (colours,
cursor moves, OSC 52 clipboard writes, title changes), other control characters, bidi
overrides and zero-width characters. We drop them before the text reaches the index, the
JSON output, the export or the screen. Markup-looking text (``[bold]``) is left as is: it
is data, and the UI never interprets it.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other
# two-byte escapes; and their 8-bit C1 forms (CSI = U+009B, OSC = U+009D).
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]         # CSI ... final byte
  | (?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c)    # OSC ... BEL or ST
  | \x1b[PX^_].*?(?:\x1b\\|\x9c)              # DCS, SOS, PM, APC ... ST
  | \x1b[@-Z\\-_]                             # other Fe escapes
  | \x1b[ -/]*[0-~]                           # nF / Fp / Fs escapes
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 controls except tab and newline, DEL, C1 controls; bidi embeddings/overrides/isolates;
# zero-width and other invisible format characters (BOM included).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb]"
)


def is_invisible(ch: str) -> bool:
    """A control, bidi, zero-width or other invisible format character."""
    return _INVISIBLE.fullmatch(ch) is not None


def neutralize(text: str) -> str:
    """Remove escape sequences and invisible/control characters; keep tabs and newlines.

    Carriage returns become newlines (``\\r\\n`` → ``\\n``) and no-break spaces plain
    spaces, so offsets computed on the result are stable."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _ESCAPES.sub("", text)
    return _INVISIBLE.sub("", text)


def one_line(text: str, limit: int = 200) -> str:
    """A neutralised single line for messages (file names, values quoted in errors)."""
    flat = " ".join(neutralize(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# What ``visible`` shows as an escape: every control and invisible character above, plus
# line/paragraph separators, so a file name can be shown exactly but harmlessly.
_SHOW_ESCAPED = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb]"
)


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, limit: int = 300) -> str:
    """An untrusted name (a file name) for a message: every control, escape, bidi and
    zero-width character is shown as ``\\x1b`` / ``\\u202e`` text, so the user can still
    find the file but nothing reaches the terminal; so are the undecodable bytes of a
    non-UTF-8 file name."""
    shown = _SHOW_ESCAPED.sub(_escape_char, text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


# Characters that JSON allows raw in a string but a terminal (or a reader of the JSON)
# may act on: C1 controls, bidi and zero-width characters, line/paragraph separators.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u2028\u2029\ud800-\udfff"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb]"
)


def json_safe(encoded: str) -> str:
    """Escape, in already-encoded JSON text, the characters ``json.dumps(ensure_ascii=False)``
    leaves raw but that must not reach a terminal (or cannot be written as UTF-8: lone
    surrogates from undecodable file names); the decoded data is unchanged."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
