"""Start-up tuning: the GIL's switch interval while the corpus loads, and keeping the
loaded corpus out of the garbage collector's full passes.

Both are process-wide settings, so they live here, apart from any screen.
"""

from __future__ import annotations

import gc
import sys

# The GIL's switch interval while the first screen is built and the corpus opens in the
# loader thread. The loader's many small file reads each give the GIL up, and with the
# default 5 ms it waited up to 5 ms to get it back from the event loop every time.
# Restored once the first screen is painted.
LOAD_SWITCH_INTERVAL = 0.0002

_usual: float | None = None  # the switch interval to restore


def loading() -> None:
    """The corpus is about to load: hand the GIL over quickly."""
    global _usual
    if _usual is None:
        _usual = sys.getswitchinterval()
        sys.setswitchinterval(min(LOAD_SWITCH_INTERVAL, _usual))


def loaded() -> None:
    """The first screen is up (or the corpus failed): the GIL's usual switch interval."""
    global _usual
    if _usual is not None:
        sys.setswitchinterval(_usual)
        _usual = None


def settle_memory() -> None:
    """Move what exists now (the corpus, the index, the analysis, the widgets) out of the
    garbage collector's sight, or each full collection walks all of it in the middle of
    painting results. Objects freed later are still freed (reference counts); only
    cycles among them wait for ``unsettle`` at the end."""
    gc.freeze()


def unsettle() -> None:
    loaded()
    gc.unfreeze()
