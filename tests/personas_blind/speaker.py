"""A blind persona answering the desk: what it says to each topic, plainer on each retry."""

from __future__ import annotations

import re

from tests.personas_blind.model import UNDECIDED, Aside, Persona, Run
from tests.personas_blind.reader import (
    FIELD_TOPICS,
    QUOTE,
    answered_with_citation,
    fold,
    japanese,
)
from tests.personas_blind.styles import (
    DEFAULTS,
    VALUE_WORDS,
    choice_labels,
    choice_numbers,
    default,
    matches,
    plain,
    wanted_values,
)
from workflows import Outgoing

ANSWERED = (*FIELD_TOPICS, "consents", "confirm")
GIVE_UP_AFTER = 5


class Speaker:
    """One persona in one conversation."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self.lang = persona.lang
        self.asked: dict[str, int] = {}
        self.last: str | None = None  # the topic the last message answered
        self.answered: list[str] = []  # topics in the order answered
        self.done: set[Aside] = set()
        self.pending: Aside | None = None
        self.pending_topic: str | None = None  # the topic that was asked when the aside was said
        self.lost = 0
        self.away_hours = 0.0
        self.stated = set(persona.stated)
        self.again: set[str] = set()  # topics gone back to: answered plainly now
        self.said = ""  # the message last sent (the driver keeps it)
        self.resent = 0

    # -- judging the desk's turn -------------------------------------------------------------

    def _judge(self, topic: str, question: str, whole: str, run: Run) -> bool:
        """Judge the turn after an aside; True when the aside was pending (no re-prompt)."""
        aside, self.pending = self.pending, None
        if aside is None:
            return False
        ok = True
        if aside.expect == "answer":
            ok = answered_with_citation(whole, aside.words) and topic == self.pending_topic
        elif aside.expect == "english":
            ok = topic not in ("unknown", "silence") and not japanese(question)
        elif aside.expect == "japanese":
            ok = topic not in ("unknown", "silence") and japanese(question)
        elif aside.expect == "previous":
            before = self.answered[-1] if self.answered else None
            ok = topic == before
            if ok and before is not None:
                self.answered.pop()
                self.asked.pop(before, None)  # asked again on purpose: answered afresh
                self.again.add(before)
        elif aside.expect == "resume":
            ok = topic == "stale"
        if not ok:
            run.unheeded.append(f"{aside.text!r} ({aside.expect}) -> {question[:160]!r}")
        return True

    def _count(self, topic: str, question: str, run: Run) -> None:
        """A re-prompt (answered and asked again) or a redundant question (stated already)."""
        if topic not in ANSWERED:
            return
        if topic in self.stated and topic not in self.asked:
            run.redundant += 1
            run.notes.append(f"asked {topic} although the persona had stated it")
        elif topic in self.asked:
            run.reprompts += 1
            run.notes.append(f"re-prompt for {topic}: {question[:120]!r}")

    # -- answering ------------------------------------------------------------------------------

    def respond(self, topic: str, reply: Outgoing | None, whole: str, run: Run) -> str | None:
        """The next message, or None when the conversation is over for this persona."""
        question = reply.fallback_text() if reply else ""
        if topic == "resend":  # the turn failed on the desk's side: send the same again
            self.resent += 1
            run.notes.append(f"the desk asked to send again: {question[:120]!r}")
            if self.resent > 2:
                run.outcome = "stuck"
                return None
            return self.said
        was_aside = self._judge(topic, question, whole, run)
        if topic in ("filed", "refused"):
            run.outcome = topic
            return None
        if topic in ("unknown", "silence"):
            self.lost += 1
            run.notes.append(f"could not make out: {question[:160]!r}")
            if self.lost >= 3:
                run.outcome = "stuck"
                return None
            return DEFAULTS[self.lang]["lost"]
        self.lost = 0
        if not was_aside:
            self._count(topic, question, run)
        if topic == "stale":
            return DEFAULTS[self.lang]["stale"]
        if topic == "handoff":  # offered a person after misses: try once more, plainly
            if self.last in ANSWERED:
                return self._field(self.last, reply, run, retry=True)
            run.notes.append(f"offered a person out of the blue: {question[:120]!r}")
            return DEFAULTS[self.lang]["decline"]
        if topic == "doc_answer":  # its first question answered: now the proposal
            return self.persona.says.get("after_answer") or DEFAULTS[self.lang]["propose"]
        if topic == "menu":
            if run.user_turns > 1:
                run.notes.append("back at the menu in mid-conversation")
            return DEFAULTS[self.lang]["propose"]
        if topic == "change":
            return self._change(question)
        if topic == "which":
            return self._which(reply)
        if topic == "budget":
            run.notes.append("the desk took the proposal for one that needs the city's budget")
            return DEFAULTS[self.lang]["budget"]
        if topic == "edit_how":
            run.reprompts += 1
            run.notes.append("the confirmation answer was taken as a wish to edit")
            return DEFAULTS[self.lang]["no_edit"]
        if topic == "title_suggest":
            if self.persona.facts.title is None:
                self._mark("title")
                return DEFAULTS[self.lang]["yes"]
            topic = "title"
        aside = self._aside(topic)
        if aside is not None:
            return aside
        return self._field(topic, reply, run)

    def _mark(self, topic: str) -> None:
        if topic not in self.asked:
            self.stated.update(self.persona.also.get(topic, ()))
        self.asked[topic] = self.asked.get(topic, 0) + 1
        self.last = topic
        if topic not in self.answered:
            self.answered.append(topic)

    def _aside(self, topic: str) -> str | None:
        for aside in self.persona.asides:
            if aside in self.done or aside.at != topic:
                continue
            self.done.add(aside)
            self.pending, self.pending_topic = aside, topic
            if aside.expect in ("english", "japanese"):
                self.lang = "en" if aside.expect == "english" else "ja"
            if aside.expect == "resume":  # away, then answers the question as if never gone
                self.away_hours = aside.hours
                return self._answer(topic, None, 1)
            return aside.text
        return None

    def _field(
        self, topic: str, reply: Outgoing | None, run: Run, *, retry: bool = False
    ) -> str | None:
        times = self.asked.get(topic, 0) + 1 + (1 if retry else 0)
        self._mark(topic)
        if times >= GIVE_UP_AFTER:
            run.outcome = "gave_up"
            run.notes.append(f"gave up on {topic}")
            return None
        return self._answer(topic, reply, times)

    def _answer(self, topic: str, reply: Outgoing | None, times: int) -> str:
        """First in the persona's words; then plainly; then by the button's number."""
        facts, lang = self.persona.facts, self.lang
        wanted = wanted_values(topic, facts)
        undecided = topic == "tier" and facts.tier == UNDECIDED
        if times >= 3 and wanted and not undecided:
            numbers = choice_numbers(reply, wanted)
            if numbers:
                return ",".join(str(n) for n in numbers)
        if times >= 2 and wanted:
            labels = choice_labels(reply, wanted)
            if labels:
                return ("、" if lang == "ja" else ", ").join(labels)
        if topic in self.again:
            times = max(times, 2)
        if times >= 2 and undecided:
            return DEFAULTS[lang]["undecided"]
        if times >= 2:
            bare = plain(topic, facts, lang)
            if bare:
                return bare
        own = self.persona.says.get(topic) if lang == self.persona.lang else None
        if own is None and lang != self.persona.lang:
            own = self.persona.says.get(f"{lang}:{topic}")
        if own is None and topic == "restate":  # asked to describe the proposal again
            own = self.persona.says.get("summary") or self.persona.says.get(f"{lang}:summary")
        return own or default(topic, facts, lang) or DEFAULTS[lang]["lost"]

    def _change(self, question: str) -> str:
        """Asked "change X to Y?": yes when Y is what the persona now means."""
        facts = self.persona.facts
        quoted = [fold(m.group(0)) for m in QUOTE.finditer(question)]
        means = [facts.organisation, facts.contact, facts.email, facts.title or ""]
        means.append(facts.phone or "")
        target = " ".join(quoted) if quoted else fold(question)
        bare = target.replace(" ", "")
        if any(len(v) >= 3 and fold(v).replace(" ", "") in bare for v in means):
            return DEFAULTS[self.lang]["yes"]
        chosen = [facts.cost, facts.org_type, facts.tier or ""]  # a menu value now meant
        if any(value and matches(value, target) for value in chosen):
            return DEFAULTS[self.lang]["yes"]
        return DEFAULTS[self.lang]["no"]

    def _which(self, reply: Outgoing | None) -> str:
        """Asked which of two was meant: name the one the persona means."""
        topic = self.last or "org_type"
        labels = choice_labels(reply, wanted_values(topic, self.persona.facts))
        if labels:
            return labels[0]
        text = reply.text if reply else ""
        quoted = [m.group(0).strip("「」'\"“”") for m in QUOTE.finditer(text)]
        for value in wanted_values(topic, self.persona.facts):
            pattern = VALUE_WORDS.get(value, "$^")
            hit = next((q for q in quoted if re.search(pattern, fold(q))), None)
            if hit:
                return hit
        return plain(topic, self.persona.facts, self.lang) or DEFAULTS[self.lang]["lost"]
