"""Text that is safe to store and show: applied once at the edge, and to stored fields.

- `clean_text` removes NUL and other control characters (keeping line breaks and tabs) and
  replaces lone surrogates, which no database or UTF-8 encoder accepts, with U+FFFD.
- `has_lone_surrogate` lets an API refuse such text outright (422) instead of repairing it.
- `strip_invisible` removes bidi overrides/isolates and zero-width characters, which make a
  stored name display reversed or defeat search.
- `clean_payload` applies `clean_text` to every string in a JSON-like webhook payload.

All of them are single passes over the text (no backtracking), so adversarial input costs
linear time.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "clean_payload",
    "clean_text",
    "has_lone_surrogate",
    "reveal_invisible",
    "strip_invisible",
]

# C0 controls except \t \n \r, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Bidi embeddings/overrides/isolates/marks, zero-width space/joiners, word joiner, BOM,
# invisible operators, soft hyphen, Mongolian vowel separator.
_INVISIBLE = re.compile(
    r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


def has_lone_surrogate(text: str) -> bool:
    """True when `text` holds a surrogate code point (not encodable as UTF-8)."""
    return _SURROGATE.search(text) is not None


def clean_text(text: str) -> str:
    """Without control characters (line breaks and tabs kept); lone surrogates as U+FFFD."""
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def strip_invisible(text: str) -> str:
    """Without bidi controls and zero-width characters."""
    return _INVISIBLE.sub("", text)


def clean_payload(value: Any, *, depth: int = 0) -> Any:
    """Every string (keys included) in a JSON-like value passed through `clean_text`."""
    if depth > 64:
        raise ValueError("payload nested too deeply")
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_payload(v, depth=depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_payload(v, depth=depth + 1) for v in value]
    return value


def reveal_invisible(value: object) -> object:
    """For display to staff: bidi controls and zero-width characters shown as ⟦U+202E⟧.

    Stored fields are already free of them, but transcripts keep what was written; shown raw,
    a right-to-left override would make a staff member read a message backwards.
    """
    if not isinstance(value, str) or _INVISIBLE.search(value) is None:
        return value
    return _INVISIBLE.sub(lambda m: f"⟦U+{ord(m.group(0)):04X}⟧", value)
