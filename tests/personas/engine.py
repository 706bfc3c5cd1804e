"""The adaptive answering engine: a persona reads each reply and answers it in its own words."""

from __future__ import annotations

import re

from tests.personas.outcome import Run
from tests.personas.profiles import FIELDS, UNDECIDED, Persona, Quirk
from tests.personas.reading import (
    ACKNOWLEDGED,
    ANSWERED,
    QUOTED,
    REFUSAL,
    choice_label,
    choice_number,
    norm,
    suggestion,
)
from tests.personas.words import TEMPLATES, UNDECIDED_WORDS, in_style, value_words
from workflows import Outgoing
from workflows.texts import label

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
REFERENCE = re.compile(r"\b[A-Z]{2}-\d{4}-\d{5}\b")
CHOICE_FIELDS = {
    "organisation.type": None,
    "content.cost_model": None,
    "proposer.membership_tier": None,
    "content.municipality_roles": None,
    "consents": "yes",
    "confirm": "submit",
    "edit_how": "submit",
    "budget": "rework",
}
LOST = {
    "ja": "すみません、質問の意味がわかりません",
    "en": "Sorry, I don't understand the question.",
}
WANT_TO_PROPOSE = {"ja": "提案したいです", "en": "I'd like to make a proposal."}
ACCEPT = {"ja": "はい、それでお願いします", "en": "Yes, that's fine."}
STALE_GO_ON = {"ja": "続きからお願いします", "en": "Let's continue."}
YES_PLEASE = {"ja": "はい、お願いします", "en": "Yes, please."}
KEEP_IT = {"ja": "いいえ、そのままでお願いします", "en": "No, keep it as it was."}
REWORK = {"ja": "費用をかけない形で続けます", "en": "Continue without public money"}


class Proposer:
    """One persona in one conversation: remembers what it was asked and how often."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self.lang = persona.lang
        self.facts = persona.facts
        self.asked: dict[str, int] = {}  # field -> times answered
        self.last: str | None = None  # the field the last message answered
        self.done_quirks: set[Quirk] = set()
        self.pending: Quirk | None = None  # the quirk the last message was, if any
        self.answered: list[str] = []  # fields in the order they were answered
        self.question_answered = False
        self.away_hours = (
            0.0  # how long the persona leaves the conversation before its next message
        )
        self.lost_in_a_row = 0

    def respond(
        self, kind: str, reply: Outgoing | None, run: Run, *, whole: str | None = None
    ) -> str | None:
        """The next message for a reply of `kind`, or None when the conversation is over.

        `whole` is everything the desk said in the turn (an answer may precede the question).
        """
        text = reply.fallback_text() if reply else ""
        self._bookkeeping(kind, whole if whole is not None else text, run, question=text)
        if self.persona.intent == "ask" and (self.question_answered or kind == "answer"):
            run.outcome = "answered"
            return None
        if kind in ("filed", "refused", "cancelled"):
            run.outcome = kind
            found = REFERENCE.search(text)
            run.reference = found.group(0) if found else None
            return None
        if self.persona.intent == "ask" and kind == "handoff":
            run.outcome = "unanswered"  # offered a person instead of an answer
            return None
        if kind in ("unknown", "handoff"):
            run.confusions += 1
            run.notes.append(f"confused by: {text[:80]!r}")
            self.lost_in_a_row += 1
            self.last = None
            if self.lost_in_a_row >= 3:
                run.outcome = "gave_up"
                return None
            return LOST[self.lang]
        self.lost_in_a_row = 0
        if kind == "ask_question":  # "what is your question?" although it was asked
            run.reprompts += 1
            run.notes.append("asked for the question it had just asked")
            self.pending = next((q for q in self.persona.quirks if q.expect == "answer"), None)
            return self.persona.says.get("question", LOST[self.lang])
        if kind == "answer":  # answered as if it were a question: say again what it is
            run.reprompts += 1
            run.notes.append("the desk answered a question instead of taking the proposal")
            self.last = None
            return WANT_TO_PROPOSE[self.lang]
        if kind == "menu":
            self.last = "menu"
            return WANT_TO_PROPOSE[self.lang]
        if kind == "stale":
            if self.last in self.asked:  # the answer sent on return was not taken as one
                self.asked[self.last] -= 1
                if not self.asked[self.last]:
                    del self.asked[self.last]
            self.last = None
            return STALE_GO_ON[self.lang]
        if kind == "ambiguous":
            return self._disambiguate(reply)
        if kind == "change_confirm":
            return self._confirm_change(text)
        target = "confirm" if kind in ("confirm", "edit_how") else kind
        quirk = self._quirk(target)
        if quirk is not None:
            self.done_quirks.add(quirk)
            self.pending, self.last = quirk, None
            if quirk.expect == "resume":  # away for a day and more, then answers as if never gone
                self.away_hours = quirk.hours
                return self._respond_to(target, reply, run)
            return quirk.text
        return self._respond_to(target, reply, run)

    def _respond_to(self, target: str, reply: Outgoing | None, run: Run) -> str | None:
        """Answer `target`, counting how often it was asked."""
        times = self.asked.get(target, 0) + 1
        self.asked[target] = times
        self.last = target
        if target in FIELDS and target not in self.answered:
            self.answered.append(target)
        if times >= 5:
            run.outcome = "gave_up"
            run.notes.append(f"gave up on {target}")
            return None
        return self._answer(target, reply, times)

    def _quirk(self, target: str) -> Quirk | None:
        for quirk in self.persona.quirks:
            if quirk in self.done_quirks:
                continue
            if quirk.at == target or (quirk.at == "*" and target in FIELDS):
                return quirk
        return None

    def _heeded(self, quirk: Quirk, kind: str, whole: str, question: str) -> bool:
        """Whether the desk's turn did what the persona's quirk asked."""
        if quirk.expect == "answer":
            return bool(ANSWERED.search(whole))
        if quirk.expect == "acknowledged":
            return bool(ACKNOWLEDGED.search(whole))
        if quirk.expect == "english":
            return kind != "unknown" and not JAPANESE.search(question)
        if quirk.expect == "resume":
            return kind == "stale"
        if quirk.expect == "previous":
            return bool(self.answered) and kind == self.answered[-1]
        raise ValueError(f"unknown expectation {quirk.expect!r}")

    def _bookkeeping(self, kind: str, text: str, run: Run, *, question: str = "") -> None:
        """Count re-prompts, unanswered questions and unheeded changes before answering."""
        was_pending, self.pending = self.pending, None
        if was_pending is not None and kind == "ask_question":
            return  # "what is your question?": judged on the answer to the repeated question
        if was_pending is not None:
            if not self._heeded(was_pending, kind, text, question):
                counter = "unanswered" if was_pending.expect == "answer" else "unheeded"
                setattr(run, counter, getattr(run, counter) + 1)
                run.notes.append(f"{was_pending.text!r} was not heeded ({was_pending.expect})")
            elif was_pending.expect == "answer":
                self.question_answered = True
            if was_pending.expect == "previous" and self.answered:
                self.answered.pop()  # going back: that answer is undone (and given again)
            return
        if kind in ("filed", "refused"):
            return
        target = "confirm" if kind in ("confirm", "edit_how") else kind
        refused = REFUSAL.search(text) or (kind == "edit_how" and self.last == "confirm")
        if self.last and (refused or target == self.last):
            run.reprompts += 1
            run.notes.append(f"re-prompt after answering {self.last}: {text[:60]!r}")
        elif target in FIELDS and target in self.asked and self.last != "budget":
            run.reprompts += 1  # answered earlier, asked again later
            run.notes.append(f"asked {target} again although it was answered")
        elif kind == "menu" and run.user_turns > 1:
            run.reprompts += 1
            run.notes.append("back at the menu in mid-conversation")
        if target in ("organisation.name", "contact.name", "contact.email", "contact.phone"):
            fact = value_words(target, self.facts, self.lang)
            if fact and target not in self.asked and norm(fact) in norm(self.persona.opening):
                run.redundant += 1
                run.notes.append(f"asked {target} already given in the first message")

    def _answer(self, target: str, reply: Outgoing | None, times: int) -> str:
        """The answer to `target`; plainer on each retry, as people do when not understood."""
        style, lang, says = self.persona.style, self.lang, self.persona.says
        wanted = self._choice_value(target)
        if times >= 3 and wanted and choice_number(reply, wanted[0]):
            return ",".join(str(choice_number(reply, v)) for v in wanted)
        if times == 2 and wanted and choice_label(reply, wanted[0]):
            joiner = "、" if lang == "ja" else ", "
            return joiner.join(str(choice_label(reply, v)) for v in wanted)
        undecided = target == "proposer.membership_tier" and self.facts.tier == UNDECIDED
        if undecided and times >= 2:  # plainer: the desk's own word for it, if it offers one
            return choice_label(reply, "undecided") or UNDECIDED_WORDS[lang]
        if target == "restate":  # asked again: the whole proposal as it now stands
            return says.get("restate", self.facts.summary) if times == 1 else self.facts.summary
        if times >= 2 and target not in CHOICE_FIELDS and target != "content.title":
            return value_words(target, self.facts, lang) or LOST[lang]
        if target in ("confirm", "edit_how"):
            return says.get("submit") or self._styled_choice(target, reply, wanted)
        if target == "budget":
            return says.get("budget") or REWORK[lang]
        if target == "content.title":
            return self._title(reply, times)
        if target in says:
            return says[target]
        if style in ("bare", "en_bare") and wanted and choice_number(reply, wanted[0]):
            return ",".join(str(choice_number(reply, v)) for v in wanted)
        if undecided:
            return UNDECIDED_WORDS[lang]
        return in_style(target, self.facts, style=style, lang=lang)

    def _styled_choice(self, target: str, reply: Outgoing | None, wanted: list[str] | None) -> str:
        style = self.persona.style
        if style in ("bare", "en_bare") and wanted and choice_number(reply, wanted[0]):
            return str(choice_number(reply, wanted[0]))
        return TEMPLATES[style].get("submit", "File it" if self.lang == "en" else "提出する")

    def _title(self, reply: Outgoing | None, times: int) -> str:
        title = self.facts.title
        if title is None:
            offered = suggestion(reply)
            if offered:
                return ACCEPT[self.lang]
            return self.persona.says.get("content.title", UNDECIDED_WORDS[self.lang])
        if times >= 2:
            return title
        if "content.title" in self.persona.says:
            return self.persona.says["content.title"]
        return in_style("content.title", self.facts, style=self.persona.style, lang=self.lang)

    def _choice_value(self, target: str) -> list[str] | None:
        """The value(s) among the desk's choices this persona means, for choice questions."""
        if target == "organisation.type":
            return [self.facts.organisation_type]
        if target == "content.cost_model":
            return [self.facts.cost_model]
        if target == "proposer.membership_tier" and self.facts.tier not in (None, UNDECIDED):
            return [str(self.facts.tier)]
        if target == "content.municipality_roles":
            return list(self.facts.roles or ("other",))
        fixed = CHOICE_FIELDS.get(target)
        return [fixed] if fixed else None

    def _confirm_change(self, text: str) -> str:
        """Asked "change X to Y?": yes when Y is what the persona said, no otherwise."""
        quoted = [g for m in QUOTED.finditer(text) for g in m.groups() if g]
        new = quoted[-1] if quoted else re.split(r"\bto\b", text)[-1]
        mine = [norm(v) for v in (value_words(f, self.facts, self.lang) for f in FIELDS) if v]
        if any(len(v) >= 3 and v in norm(new) for v in mine):
            return YES_PLEASE[self.lang]
        return KEEP_IT[self.lang]

    def _disambiguate(self, reply: Outgoing | None) -> str:
        """Asked which of two things was meant: name the right one as the desk shows it."""
        quoted = [
            norm(g) for m in QUOTED.finditer(reply.text if reply else "") for g in m.groups() if g
        ]
        for target in (self.last, "organisation.type", "content.cost_model"):
            wanted = self._choice_value(target) if target else None
            if not wanted:
                continue
            shown = choice_label(reply, wanted[0])
            if shown:
                return shown
            named = label(wanted[0], self.lang)
            if norm(named) in quoted:
                return named
        return LOST[self.lang]
