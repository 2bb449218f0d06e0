"""Claims across sources: which sentences of which reports state the same thing, with
what values, and whether those values can all be true (see build.py)."""

from .build import ClaimSet, by_value

__all__ = ["ClaimSet", "by_value"]
