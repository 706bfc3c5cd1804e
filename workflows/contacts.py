"""Contact details inside a text: e-mail addresses, phone numbers (not FAX numbers), URLs."""

from __future__ import annotations

import re

from workflows.record import normalise_email, normalise_phone

# The lookbehind starts an address only where a run of address characters starts: without it
# every character of a long run without "@" scanned the rest of the run (quadratic).
EMAIL_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
PHONE_IN_TEXT = re.compile(r"(?:\+81[\s\-]?|0)\d{1,4}[\s\-]?\d{1,4}[\s\-]?\d{3,4}")
URL_IN_TEXT = re.compile(r"https?://[^\s)）」、。]+")
FAX = re.compile(r"(?:FAX|Fax|fax|ファックス|ファクス)\s?[:：]?\s?[+\d][\d\-\s()]{8,16}")


# An extension right after the number: 「内線234」, 「(内線)234」, "ext. 234", "x234".
EXTENSION_AFTER = re.compile(
    r"\s?[,、]?\s?(?:;ext=|[(（]?内線[)）]?|(?<![A-Za-z])(?:ext|extension|x)(?![A-Za-z])[.]?)\s?[:：.]?\s?\d{1,6}(?!\d)",
    re.I,
)


def with_extension(text: str, match: re.Match[str]) -> str:
    """The matched number with the extension that follows it, if any."""
    extension = EXTENSION_AFTER.match(text, match.end())
    if extension is None:
        return match.group(0)
    return match.group(0) + " ext " + re.sub(r"\D", "", extension.group(0))


def phone_in(text: str) -> str | None:
    """The first phone number in `text` as E.164 (with ";ext=234" when an extension follows),
    FAX numbers, e-mail and URLs left out."""
    stripped = FAX.sub(" ", EMAIL_IN_TEXT.sub(" ", URL_IN_TEXT.sub(" ", text)))
    for match in PHONE_IN_TEXT.finditer(stripped):
        try:
            return normalise_phone(with_extension(stripped, match))
        except ValueError:
            continue
    return None


def email_in(text: str, *, last: bool = False) -> str | None:
    """The first (or last) e-mail address in `text`, normalised."""
    found = [m.group(0) for m in EMAIL_IN_TEXT.finditer(text)]
    for address in reversed(found) if last else found:
        try:
            return normalise_email(address)
        except ValueError:
            continue
    return None
