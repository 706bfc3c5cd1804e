"""A field that got no value: asked differently each time, or noted as not decided yet.

Never a loop: the same question is not sent a third time unchanged. After a miss the error and
the question; then an example (and a skip, for an optional field); then a person. 「未定です」 is
noted where the platform allows it, with what the documents say about the field.
"""

from __future__ import annotations

from workflows import answers
from workflows.fields import Kind, spec
from workflows.intake import advance, ask
from workflows.texts import field_name, t
from workflows.titles import suggest_title
from workflows.turn import State, Turn


def miss(turn: Turn, field: str, error: str) -> State:
    """A field not read: the error, then an example, then a skip, then a person."""
    misses = turn.progress.misses[field] = turn.progress.misses.get(field, 0) + 1
    field_spec = spec(field)
    example = field_spec.example[1 if turn.lang == "en" else 0]
    if field == "content.summary" and turn.progress.restate:
        example = t("restate.example", turn.lang)
    skip = ("skip",) if field_spec.skippable else ()
    if misses == 1:
        turn.say(error, limit=field_spec.limit, number=turn.text[:40])
        ask(turn, field)
    elif misses % 2 == 0:
        before = t("choice.example", turn.lang, example=example)
        if skip:
            before += t("choice.skip_offer", turn.lang)
        ask(turn, field, before=before, extras=skip)
    else:
        turn.progress.asking = field
        name = field_name(field, turn.lang)
        turn.say("intake.stuck", field=name, example=example, choices=["human", *skip])
    return State.INTAKE


def _undecided(turn: Turn, field: str) -> State:
    turn.progress.undecided.append(field)
    name = field_name(field, turn.lang)
    # The documents are mostly Japanese: ask them in Japanese too when the proposer writes English.
    queries = {
        t("undecided.query", lang, field=field_name(field, lang)) for lang in (turn.lang, "ja")
    }
    found = [
        p for q in sorted(queries) for p in turn.library.search(q, platform=turn.platform.id, k=1)
    ]
    top = next((p for p in found if answers.strong(p)), None)
    if top is not None:
        turn.say(
            "undecided.cited", field=name, title=top.title, text=answers.excerpt(top), url=top.url
        )
    else:
        turn.say("undecided.noted", field=name)
    return advance(turn)


def not_decided(turn: Turn, field: str) -> State:
    """「未定です」: noted where the platform allows it; a title is suggested later."""
    if spec(field).undecided:
        return _undecided(turn, field)
    if field == "content.title" and not turn.slots.get("content.summary"):
        if field not in turn.progress.deferred:
            turn.progress.deferred.append(field)  # suggested once the summary is known
        turn.say("title.later")
        return advance(turn)
    if field == "content.title" and suggest_title(str(turn.slots["content.summary"])):
        ask(turn, field)  # the question carries the suggestion (「タイトルの案：…」)
        return State.INTAKE
    return miss(turn, field, "invalid.empty" if spec(field).kind is Kind.TEXT else "invalid.choice")
