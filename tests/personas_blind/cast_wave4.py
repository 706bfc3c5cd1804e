"""A fourth wave of blind personas, written at 22:00 and run once before anyone saw them: a
holdout that measures how far the fixes of waves 1-3 carry to words nobody tuned for
(21:58 UTC: 8/8 filed, 3/8 clean, 4 re-prompts, fields 75/80).
"""

# ruff: noqa: E501 - a persona's words read better whole than wrapped

from __future__ import annotations

from tests.personas_blind.model import UNDECIDED, Aside, Facts, Persona

BOXED_SIGNATURE = """共創推進課 ご担当者さま

はじめてご連絡いたします。
弊社は、町内会の回覧板をデジタル化し、スマートフォンと紙の両方で届けるサービスを運営しております。
このたび、区内の町内会3つで、回覧板デジタル化の実証をさせていただきたく、ご連絡いたしました。
システムの費用は弊社で負担いたします。

■■■■■■■■■■■■■■■■■■■■
アオバ・ラボ株式会社
DX推進室 室長
石田 彩花
TEL：045(123)4567
E-mail：ishida@aoba-lab.example.jp
■■■■■■■■■■■■■■■■■■■■"""

WAVE_FOUR: list[Persona] = [
    Persona(
        id="kfb4-boxed-signature",
        platform="kyoso-front",
        lang="ja",
        opening=BOXED_SIGNATURE,
        facts=Facts(
            organisation="アオバ・ラボ株式会社",
            org_type="company",
            contact="石田彩花",
            email="ishida@aoba-lab.example.jp",
            phone="045-123-4567",
            title="町内会の回覧板デジタル化実証",
            cost="proposer_bears",
            summary_key="回覧板",
            roles=("introductions", "publicity"),
            leaks=("はじめてご連絡", "DX推進室", "室長", "■"),
        ),
        says={
            "title": "町内会の回覧板デジタル化実証",
            "summary": "区内の町内会3つで、回覧板をデジタル化する実証をいたします。",
            "problem": "町内会の役員の高齢化で、回覧板を回す負担が大きくなっていることです。",
            "activities": "弊社がシステムを無償で提供し、町内会の皆様への説明会も開きます。",
            "roles": "町内会連合会へのおつなぎと、区のお知らせでの周知をお願いしたいです。",
            "cost": "システムの費用は弊社で負担いたします。",
        },
        stated=("org_name", "org_type", "contact_name", "email", "phone", "cost", "summary"),
    ),
    Persona(
        id="kfb4-marche-committee",
        platform="kyoso-front",
        lang="ja",
        opening="どうもです 公園でマルシェやりたいんだけど提案ってここ？",
        facts=Facts(
            organisation="みなと手しごと市実行委員会",
            org_type="association",
            contact="はやし",
            email="hayashi@tesigoto.example.jp",
            title="公園の手しごとマルシェ",
            cost="proposer_bears",
            summary_key="マルシェ",
            roles=("venue", "permits"),
        ),
        says={
            "org_name": "みなと手しごと市実行委員会ってとこでやってます",
            "org_type": "実行委員会なので団体かな",
            "contact_name": "はやしです ひらがなでOK",
            "email": "Hayashi@Tesigoto.example.jp",
            "title": "公園の手しごとマルシェ",
            "summary": "月1で公園に手づくり作家さんのお店を30くらい並べるマルシェをやりたい",
            "problem": "作家さんが作品を出せる場所が近所にないし公園も週末ガラガラ",
            "activities": "うちの委員会で出店者集めと当日の運営ぜんぶやります",
            "roles": "公園つかわせてほしいのと、公園の使用の手続きのこと相談したい",
            "cost": "テントとかの費用は出店料でまかなうので市にはお金かけません。実費はうちもちです",
            "consents": "同意です",
            "confirm": "だいじょうぶです、提出で",
        },
    ),
    Persona(
        id="zcb4-en-tier-change",
        platform="zerocarbon",
        lang="en",
        opening="Hi there, we'd like to join and propose a small project at the same time.",
        facts=Facts(
            organisation="Oyama Coffee Roasters",
            org_type="company",
            contact="Liam Carter",
            email="liam@oyama-coffee.example.com",
            title="Coffee grounds to compost for member gardens",
            cost="proposer_bears",
            summary_key="coffee grounds",
            tier="A",
        ),
        says={
            "org_name": "Oyama Coffee Roasters",
            "org_type": "Company",
            "contact_name": "Liam Carter",
            "email": "liam@oyama-coffee.example.com",
            "title": "Coffee grounds to compost for member gardens",
            "summary": "We collect used coffee grounds from cafes and turn them into compost for the gardens of member companies.",
            "activities": "We run the collection round and the composting at our roastery.",
            "cost": "It's on us.",
            "tier": "B for now, please",
        },
        asides=(
            Aside(
                at="consents",
                text="Actually, make the tier A - we'll come to the meetings in person.",
                expect="heeded",
            ),
        ),
    ),
    Persona(
        id="zcb4-cost-mind-change",
        platform="zerocarbon",
        lang="ja",
        opening="省エネの提案をしたいです",
        facts=Facts(
            organisation="株式会社いせはら空調",
            org_type="company",
            contact="村上",
            email="murakami@isehara-kucho.example.jp",
            title="空調フィルター清掃で省エネ",
            cost="proposer_bears",
            summary_key="フィルター",
            tier="C",
        ),
        says={
            "org_name": "株式会社いせはら空調です",
            "contact_name": "村上です",
            "email": "murakami@isehara-kucho.example.jp",
            "title": "空調フィルター清掃で省エネ",
            "summary": "会員の事務所の空調フィルターを清掃して、どれだけ電気代が下がるかを測る取組です。",
            "activities": "弊社のスタッフが清掃と電力の計測をします。",
            "cost": "市の費用負担なしで",
            "tier": "メール配信だけで大丈夫です",
        },
        asides=(
            Aside(
                at="tier",
                text="すみません、費用のところ、やっぱり実費はうちで負担する形に変えてください",
                expect="heeded",
            ),
        ),
    ),
    Persona(
        id="zcb4-title-thinking",
        platform="zerocarbon",
        lang="ja",
        opening="提案したいです、よろしくお願いします",
        facts=Facts(
            organisation="NPO法人秦野こども環境クラブ",
            org_type="npo",
            contact="岡本",
            email="okamoto@hadano-kodomo-eco.example.org",
            title=None,
            cost="no_cost",
            summary_key="エコ",
            tier="C",
        ),
        says={
            "org_name": "NPO法人秦野こども環境クラブです",
            "contact_name": "岡本です",
            "email": "okamoto@hadano-kodomo-eco.example.org",
            "title": "うーん、まだ考え中です",
            "summary": "会員企業の社員さんの子どもたちと、夏休みに工場のエコな工夫を見学するツアーをしたいです。",
            "activities": "私たちがツアーの企画と引率をして、子ども向けのワークシートも作ります。",
            "cost": "市やコンソーシアムにお金はかかりません",
            "tier": "Cでいいです",
        },
    ),
    Persona(
        id="kfb4-two-contacts",
        platform="kyoso-front",
        lang="ja",
        opening="防災の提案をさせていただけますでしょうか",
        facts=Facts(
            organisation="株式会社ベイ防災システム",
            org_type="company",
            contact="山口",
            email="yamaguchi@bay-bousai.example.jp",
            title="避難所の混雑をスマホで確認",
            cost="proposer_bears",
            summary_key="避難所",
            roles=("data", "venue"),
        ),
        says={
            "org_name": "株式会社ベイ防災システムです",
            "contact_name": "担当は山口と佐野の二名ですが、窓口は山口です",
            "email": "yamaguchi@bay-bousai.example.jp",
            "title": "避難所の混雑をスマホで確認",
            "summary": "災害のとき、避難所の混み具合をスマートフォンで確かめられる仕組みを試したいです。",
            "problem": "災害時に一部の避難所に人が集中して、入れない人が出ることです。",
            "activities": "弊社がカメラと表示システムを用意し、防災訓練の日に試します。",
            "roles": "避難所の位置と収容人数のデータと、訓練会場での実証をお願いします。",
            "cost": "機器は弊社の持ち込みです",
        },
    ),
    Persona(
        id="kfb4-en-startup",
        platform="kyoso-front",
        lang="en",
        opening="hey! quick proposal from a startup 🚀",
        facts=Facts(
            organisation="GreenShift Inc.",
            org_type="company",
            contact="Noah Lee",
            email="noah@greenshift.example.io",
            title="Smart bins for Yamashita Park",
            cost="proposer_bears",
            summary_key="bins",
            roles=("venue", "data"),
        ),
        says={
            "org_name": "We're GreenShift Inc., a climate-tech startup",
            "org_type": "startup, so a company I guess",
            "contact_name": "noah lee",
            "email": "noah@greenshift.example.io",
            "title": "Smart bins for Yamashita Park",
            "summary": "We'd put 20 solar-powered smart bins in Yamashita Park that compress rubbish and report when they're full.",
            "problem": "Bins in the park overflow at weekends and the collection rounds are fixed, not based on need.",
            "activities": "we install and run the bins for 6 months and share the fill-level data",
            "roles": "the park as a test site + the current collection schedule data",
            "cost": "all on us 👍",
            "consents": "yep, agree",
            "confirm": "ship it",
        },
    ),
    Persona(
        id="zcb4-en-undecided-words",
        platform="zerocarbon",
        lang="en",
        opening="Good afternoon. I would like to submit a proposal on behalf of our association.",
        facts=Facts(
            organisation="Hadano Chamber of Young Entrepreneurs",
            org_type="association",
            contact="Grace Ito",
            email="grace@hadano-yeg.example.org",
            title="Carbon accounting workshops for young owners",
            cost="no_cost",
            summary_key="workshop",
            tier=UNDECIDED,
        ),
        says={
            "org_name": "Hadano Chamber of Young Entrepreneurs",
            "org_type": "It is an association",
            "contact_name": "Grace Ito",
            "email": "grace@hadano-yeg.example.org",
            "title": "Carbon accounting workshops for young owners",
            "summary": "A series of four evening workshops where young business owners learn to measure their company's CO2 emissions.",
            "activities": "We organise the workshops and invite the speakers.",
            "cost": "There is no cost to the consortium or the city.",
            "tier": "We haven't decided yet.",
        },
    ),
]
