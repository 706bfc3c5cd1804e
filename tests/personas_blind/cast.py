"""The whole blind cast, and the findings still open against it."""

# ruff: noqa: E501 - a finding reads better whole than wrapped

from __future__ import annotations

from tests.personas_blind.cast_kf import KYOSO_BLIND
from tests.personas_blind.cast_wave2 import WAVE_TWO
from tests.personas_blind.cast_wave3 import WAVE_THREE
from tests.personas_blind.cast_wave4 import WAVE_FOUR
from tests.personas_blind.cast_wave5 import WAVE_FIVE
from tests.personas_blind.cast_zc import ZEROCARBON_BLIND
from tests.personas_blind.model import Persona

BLIND: list[Persona] = [
    *KYOSO_BLIND,
    *ZEROCARBON_BLIND,
    *WAVE_TWO,
    *WAVE_THREE,
    *WAVE_FOUR,
    *WAVE_FIVE,
]
BY_ID = {p.id: p for p in BLIND}
assert len(BY_ID) == len(BLIND), "persona ids are unique"

# Findings filed in /tmp/persona-findings.md and not fixed yet: persona id -> finding.
# The persona's test is xfail(strict=True) while listed, so it flips the day the desk is fixed.
OPEN_FINDINGS: dict[str, str] = {
    "kfb-en-university": "B4: mid-intake 'does it cost anything to submit?' not answered from 費用負担の考え方",
    "zcb-emoji-bamboo": "B17: 「締切は？」 mid-intake gets no answer (zc-apply: 締切はありません)",
    "kfb2-questions-no-mark": "W8: questions without ？ recognised but not answered (retrieval, routing R18)",
    "zcb-en-questions": "B21: 'is there a deadline to join the consortium?' mid-intake unanswered (fixed at 21:45, back at 21:56)",
}
