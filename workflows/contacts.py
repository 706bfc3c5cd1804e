"""Contact details inside a text: e-mail addresses, phone numbers (not FAX numbers), URLs."""

from __future__ import annotations

import re
import unicodedata

from workflows.record import normalise_email, normalise_phone

# The lookbehind starts an address only where a run of address characters starts: without it
# every character of a long run without "@" scanned the rest of the run (quadratic).
EMAIL_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
# Separators people type between the groups of a number: hyphens of every width and kind, the
# katakana long mark of a full-width 「０９０ー１２３４ー５６７８」, dots, spaces; an area code in
# brackets (「045(123)4567」, 「(03)1234-5678」, "+81 (0)3 1234 5678").
_SEP = r"[\s\-‐‑‒–—―−ーｰ.]?"
PHONE_IN_TEXT = re.compile(
    rf"(?<!\d)(?:\+81{_SEP}(?:\(0\){_SEP})?|\(0|0)\d{{1,4}}\)?{_SEP}\(?\d{{1,4}}\)?{_SEP}\d{{3,4}}(?!\d)"
)
URL_IN_TEXT = re.compile(r"https?://[^\s)）」、。]+")
FAX = re.compile(
    r"(?:FAX|Fax|fax|ファックス|ファクス)\s?[:：]?\s?[+\d(][\d\-\s()‐‑‒–—―−ーｰ.]{8,18}"
)


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
    text = unicodedata.normalize("NFKC", text)  # ０９０ー１２３４ー５６７８
    stripped = FAX.sub(" ", EMAIL_IN_TEXT.sub(" ", URL_IN_TEXT.sub(" ", text)))
    for match in PHONE_IN_TEXT.finditer(stripped):
        try:
            return normalise_phone(with_extension(stripped, match))
        except ValueError:
            continue
    return None


# "aki at example dot com", 「tanaka[at]minato.example.jp」, "sato @ example . jp": an address
# written so robots cannot read it. Only read when the text holds no plain address.
_AT = re.compile(
    r"(?<=[A-Za-z0-9._%+\-])\s{0,2}(?:\[at\]|\(at\)|\{at\}|\sat\s|@)\s{0,2}(?=[A-Za-z0-9\-])",
    re.I,
)
_DOT = re.compile(
    r"(?<=[A-Za-z0-9\-])\s{0,2}(?:\[dot\]|\(dot\)|\{dot\}|\sdot\s)\s{0,2}(?=[A-Za-z0-9\-])|"
    r"(?<=[A-Za-z0-9\-])\s\.\s(?=[A-Za-z])|(?<=[A-Za-z0-9\-])\.\s(?=(?:com|jp|net|org|co|ne|or|ac)\b)",
    re.I,
)


def deobfuscated(text: str) -> str:
    """`text` with "at"/"[at]"/" @ " and "dot"/"[dot]" written as @ and . between address parts."""
    return _DOT.sub(".", _AT.sub("@", unicodedata.normalize("NFKC", text)))


def email_in(text: str, *, last: bool = False) -> str | None:
    """The first (or last) e-mail address in `text`, normalised (also when written as
    "aki at example dot com")."""
    found = [m.group(0) for m in EMAIL_IN_TEXT.finditer(text)]
    if not found:
        found = [m.group(0) for m in EMAIL_IN_TEXT.finditer(deobfuscated(text))]
    for address in reversed(found) if last else found:
        try:
            return normalise_email(address)
        except ValueError:
            continue
    return None


# Mail domains people mistype (gmial.com, yahoo.co.jpp, docomo.ne.jo): asked about, never
# changed silently. Domains shorter than 7 characters (me.com, au.com) are left out: one
# letter off, they are other real domains.
KNOWN_DOMAINS = (
    "gmail.com",
    "googlemail.com",
    "yahoo.co.jp",
    "yahoo.com",
    "ymail.ne.jp",
    "hotmail.com",
    "hotmail.co.jp",
    "outlook.com",
    "outlook.jp",
    "live.jp",
    "icloud.com",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "softbank.ne.jp",
    "i.softbank.jp",
    "ymobile.ne.jp",
    "nifty.com",
    "biglobe.ne.jp",
    "ocn.ne.jp",
    "so-net.ne.jp",
)
# The last labels people mistype, with what they meant (.con, .jpp, ne.jo).
_TLD_TYPOS = {
    "con": "com",
    "cmo": "com",
    "ocm": "com",
    "comm": "com",
    "coom": "com",
    "om": "com",
    "jpp": "jp",
    "jpn": "jp",
    "pj": "jp",
}
_JP_SECOND = ("co", "ne", "or", "ac", "go", "ed", "lg")
DOMAIN_CHARS = 100


def _distance(a: str, b: str) -> int:
    """Edit distance with transpositions (optimal string alignment), for short strings."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows = [rows[-1], row]
    return rows[-1][-1]


def suspect_domain(domain: str) -> str | None:
    """The domain a mistyped mail domain most likely meant (gmial.com → gmail.com), or None."""
    domain = domain.lower().strip(".")
    if not domain or len(domain) > DOMAIN_CHARS or domain in KNOWN_DOMAINS:
        return None
    close = sorted(
        (d, known)
        for known in KNOWN_DOMAINS
        if abs(len(known) - len(domain)) <= 2
        and (d := _distance(domain, known)) <= (2 if len(known) >= 9 else 1)
    )
    if close and (len(close) == 1 or close[0][0] < close[1][0]):
        return close[0][1]
    labels = domain.split(".")
    last = labels[-1]
    if last in _TLD_TYPOS:
        return ".".join([*labels[:-1], _TLD_TYPOS[last]])
    if last == "jo" and len(labels) >= 3 and labels[-2] in _JP_SECOND:
        return ".".join([*labels[:-1], "jp"])  # Jordan's second levels are com.jo, edu.jo
    return None
