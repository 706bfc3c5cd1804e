"""The whole blind cast, and the findings still open against it."""

# ruff: noqa: E501 - a finding reads better whole than wrapped

from __future__ import annotations

from tests.personas_blind.cast_kf import KYOSO_BLIND
from tests.personas_blind.cast_wave2 import WAVE_TWO
from tests.personas_blind.cast_zc import ZEROCARBON_BLIND
from tests.personas_blind.model import Persona

BLIND: list[Persona] = [*KYOSO_BLIND, *ZEROCARBON_BLIND, *WAVE_TWO]
BY_ID = {p.id: p for p in BLIND}
assert len(BY_ID) == len(BLIND), "persona ids are unique"

# Findings filed in /tmp/persona-findings.md and not fixed yet: persona id -> finding.
# The persona's test is xfail(strict=True) while listed, so it flips the day the desk is fixed.
OPEN_FINDINGS: dict[str, str] = {
    "kfb-en-university": "B4: mid-intake 'does it cost anything to submit?' not answered from 費用負担の考え方",
    "zcb-emoji-bamboo": "B17: 「締切は？」 mid-intake gets no answer (zc-apply: 締切はありません)",
    "kfb2-haikei-letter": "W1: 時下ますますご清栄のこととお慶び申し上げます stays in the summary",
    "kfb2-slang-papa": "W2: っていうとこです / 「X」って名前にしたい kept; 宣伝 not read as publicity",
    "kfb2-en-corrections": "W3: 'I want to propose something for the Minato Mirai area.' becomes the summary",
    "zcb2-contact-with-everything": "W3: 'I'd like to put forward a joint project.' becomes the summary; W4: 'Just the newsletter' is not tier C",
    "zcb2-no-particle-names": "W5: 「持ち出しでやります」 and 「オンラインで見るだけにします」 (tier B) re-prompted",
    "zcb2-en-comes-back": "W7: 'Tanzawa Timber Co.' filed as 'Tanzawa Timber Co'",
    "kfb2-questions-no-mark": "W8: questions without ？ recognised but not answered (retrieval, routing R18)",
    "zcb-en-questions": "B21: 'is there a deadline to join the consortium?' mid-intake no longer answered",
}
