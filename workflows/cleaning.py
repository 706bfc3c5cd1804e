"""The value, not the sentence around it: what people type, cleaned into what a record holds.

The interface the dialogue uses (pure functions over one message, no I/O); each function lives
with its kind of text:

- `clean_value` (`workflows.values`): one field's value without the sentence around it;
- `read_signature` (`workflows.signature`): the slots a signature block or contact lines state;
- `proposal_sentences` (`workflows.courtesy`): the proposal without greeting, salutation,
  self-introduction, closing, signature and contact lines;
- `change_request` (`workflows.changes`): a change of mind in plain words;
- `is_question`, `is_undecided` (`workflows.questions`): not a value but a question, or
  "not decided yet".

Under them: `workflows.plain` (normalised text without emoji or fillers), `workflows.contacts`
(e-mail, phone, URL), `workflows.names` (organisations and people). Every pattern is linear
(bounded repetitions, no nested unbounded ones), so a long message costs linear time.
"""

from __future__ import annotations

from workflows.changes import change_request
from workflows.courtesy import proposal_sentences
from workflows.questions import is_question, is_undecided
from workflows.signature import read_signature
from workflows.values import clean_value

__all__ = [
    "change_request",
    "clean_value",
    "is_question",
    "is_undecided",
    "proposal_sentences",
    "read_signature",
]
