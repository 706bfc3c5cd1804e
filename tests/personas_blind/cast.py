"""The whole blind cast, and the findings still open against it."""

# ruff: noqa: E501 - a finding reads better whole than wrapped

from __future__ import annotations

from tests.personas_blind.cast_kf import KYOSO_BLIND
from tests.personas_blind.cast_zc import ZEROCARBON_BLIND
from tests.personas_blind.model import Persona

BLIND: list[Persona] = [*KYOSO_BLIND, *ZEROCARBON_BLIND]
BY_ID = {p.id: p for p in BLIND}
assert len(BY_ID) == len(BLIND), "persona ids are unique"

# Findings filed in /tmp/persona-findings.md and not fixed yet: persona id -> finding.
# The persona's test is xfail(strict=True) while listed, so it flips the day the desk is fixed.
OPEN_FINDINGS: dict[str, str] = {
    "kfb-line-casual": "B2: って団体っす / でーす / でおねがいします stay in the values; B17: 「費用は？」 unanswered",
    "kfb-roles-and-cost": "B18: 「…の吉田あゆみと申します」 kept in the org; 「費用はすべて弊社で持ちます」 filed as no_cost",
    "zcb-emoji-bamboo": "B17: 「締切は？」 mid-intake gets no answer (zc-apply: 締切はありません)",
    "kfb-dont-know-title": "B3: 屋号は「…」 kept; suggested title is a sentence; 自分で出します not read",
    "kfb-en-university": "B4: 'We're the', 'Let's call it', roles in own words, off-topic cost answer",
    "kfb-en-switch": "B5: 'places for the stations' is not read as venue",
    "kfb-one-long-message": "B6: title line in the summary; stated activities asked again",
    "zcb-one-long-message": "B6: title and tier lines in the summary; stated activities/tier asked",
    "kfb-en-long-email": "B7: 'could you suggest one?' at the title loops unchanged",
    "zcb-en-not-sure": "B8: English title suggestion never comes; org keeps ' - an association…'",
    "kfb-goes-back": "B9: 「弊社持ち」 read as no cost",
    "kfb-hiragana-typos": "B10: かいしゃ / どうい / ていしゅつ not read; ていしゅつします opens the edit prompt",
    "zcb-keigo-bank": "B11: 平素より大変お世話になっております in the summary and as the title",
    "zcb-tier-undecided": "B12: 有限会社はだの冷機 cut at の (org はだ, contact 冷機)",
    "zcb-municipality": "B13: 担当部署は… taken as the contact; 自治体 not a type",
    "zcb-en-university": "B14: 'Shonan University of Technology' cut at 'of'; opening is the summary",
    "zcb-switch-to-japanese": "B15: 'we want to propose a project about X' is the summary and title",
    "zcb-sole-proprietor": "B16: 〜でやってます re-prompted; 自分で出します not read",
}
