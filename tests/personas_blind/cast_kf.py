"""Blind personas on the kyoso-front desk (Yokohama-style co-creation front)."""

# ruff: noqa: E501 - a persona's words read better whole than wrapped

from __future__ import annotations

from tests.personas_blind.model import Aside, Facts, Persona

KEIGO_MAIL = """共創推進課 ご担当者様

いつもお世話になっております。
株式会社ハマカゼ技研 環境事業部の森田と申します。

弊社では、河川敷への不法投棄をAIカメラで検知する仕組みを開発しております。
このたび、鶴見川の河川敷でAIカメラによる不法投棄の検知実証を行いたく、ご提案申し上げます。
実証期間中の機器と通信の費用はすべて弊社が負担いたします。

ご検討のほど、何卒よろしくお願い申し上げます。

――――――――――――――――――
株式会社ハマカゼ技研
環境事業部 事業開発課 課長
森田 洋平（もりた ようへい）
〒231-0005 横浜市中区本町6-50-10
TEL：045-671-2222　FAX：045-671-2223
E-mail：morita@hamakaze-giken.example.jp
――――――――――――――――――"""

LONG_ONE = (
    "はじめまして。一般社団法人よこはま防災ラボの中村由美と申します。"
    "タイトルは「マンション防災井戸端会議」です。"
    "市内の大規模マンションでは住民同士のつながりが薄く、災害時に助け合えないことが課題です。"
    "そこで、マンションの集会所で月1回、住民向けの防災ワークショップを開き、"
    "在宅避難の備えを一緒に点検します。当法人が講師と教材を用意し、費用は当法人が負担します。"
    "市には会場探しのご協力と広報をお願いしたいです。"
    "連絡先は nakamura@bousai-lab.example.org、電話は090-1234-5678です。"
)

EN_LONG = """Dear Co-creation Front team,

I hope this message finds you well. My name is Emma Clarke and I work for GreenLoop Japan K.K.

We would like to propose a reusable takeaway-container scheme for shops around Yokohama Station.
Customers borrow a container for free and return it at any partner shop; we wash and redistribute them.
We cover all the costs ourselves. From the city we would need help with publicity and an introduction to the shopping-street associations.

Best regards,
Emma Clarke
Programme Manager, GreenLoop Japan K.K.
Tel: 045-000-1111
emma.clarke@greenloop.example.com"""

KYOSO_BLIND: list[Persona] = [
    Persona(
        id="kfb-keigo-signature",
        platform="kyoso-front",
        lang="ja",
        opening=KEIGO_MAIL,
        facts=Facts(
            organisation="株式会社ハマカゼ技研",
            org_type="company",
            contact="森田洋平",
            email="morita@hamakaze-giken.example.jp",
            phone="045-671-2222",
            title="AIカメラによる河川敷の不法投棄検知実証",
            cost="proposer_bears",
            summary_key="不法投棄",
            roles=("venue", "introductions"),
            leaks=("本町6-50-10", "事業開発課", "課長", "もりた", "045-671-2223"),
        ),
        says={
            "title": "件名は「AIカメラによる河川敷の不法投棄検知実証」でお願いいたします。",
            "summary": "鶴見川の河川敷で、AIカメラによる不法投棄の検知実証を行いたく存じます。",
            "cost": "実証の費用はすべて弊社が負担いたします。",
            "problem": "河川敷への不法投棄が後を絶たず、見回りと回収に多くの手間がかかっていることでございます。",
            "activities": "弊社がAIカメラを3台設置し、3か月間、検知結果を毎月ご報告いたします。",
            "roles": "河川敷を実証の場としてお貸しいただきたく、関係部署へのご紹介もお願いできれば幸いです。",
            "consents": "はい、3点とも同意いたします。",
            "confirm": "提出をお願いいたします。",
        },
        stated=("org_name", "org_type", "contact_name", "email", "phone", "cost"),
    ),
    Persona(
        id="kfb-line-casual",
        platform="kyoso-front",
        lang="ja",
        opening="提案したいです！商店街でフードシェアやりたくて🍙",
        facts=Facts(
            organisation="みなとフードシェア",
            org_type="npo",
            contact="山本",
            email="yamamoto.foodshare@example.com",
            title="商店街フードシェア",
            cost="no_cost",
            summary_key="子ども食堂",
            roles=("publicity", "introductions"),
        ),
        says={
            "org_name": "みなとフードシェアって団体っす",
            "org_type": "一応NPO法人です笑",
            "contact_name": "山本でーす",
            "email": "yamamoto.foodshare@example.com で📩",
            "title": "商店街フードシェアでおねがいします🙏",
            "summary": "商店街の売れ残りのパンとかお惣菜を閉店前に集めて子ども食堂に届ける仕組みつくりたいです",
            "problem": "まだ食べれるのにすてられてるのがもったいなくて…あと子ども食堂の食材がたりてない",
            "activities": "うちのボランティアが毎週火曜と金曜に回収して届けます🚲",
            "roles": "広報てつだってほしいです！あと商店街の人紹介してもらえたら助かる",
            "cost": "お金はかからないっす、市の負担なしで",
            "consents": "はーい同意します👍",
            "confirm": "提出で！",
        },
        asides=(Aside(at="activities", text="あ、費用は？", expect="answer", words=("費用",)),),
    ),
    Persona(
        id="kfb-two-at-once",
        platform="kyoso-front",
        lang="ja",
        opening="データ活用の提案をしたいのですが",
        facts=Facts(
            organisation="株式会社ヨコハマデータラボ",
            org_type="company",
            contact="高橋",
            email="takahashi@ydl.example.jp",
            phone="045-223-4456",
            title="バス停混雑の見える化",
            cost="proposer_bears",
            summary_key="混雑",
            roles=("data",),
        ),
        says={
            "org_name": "株式会社ヨコハマデータラボです。担当は高橋と申します。",
            "email": "メールは takahashi@ydl.example.jp、電話は０４５－２２３－４４５６です",
            "title": "バス停混雑の見える化",
            "summary": "市営バスの乗降データとセンサーを組み合わせて、主要バス停の混雑をスマホで見られるようにします。",
            "problem": "朝の主要バス停が混雑して、乗り切れない人が出ていることです。",
            "activities": "弊社がセンサー設置と分析、アプリの開発を行います。",
            "roles": "市営バスの乗降データをご提供いただきたいです。",
            "cost": "費用は弊社で持ちます。",
        },
        also={"org_name": ("org_type", "contact_name"), "email": ("phone",)},
    ),
    Persona(
        id="kfb-mind-changer-title",
        platform="kyoso-front",
        lang="ja",
        opening="こんにちは。駅前の花壇について提案させてください。",
        facts=Facts(
            organisation="NPO法人みどりのまち",
            org_type="npo",
            contact="佐藤美咲",
            email="sato@midori-machi.example.jp",
            title="駅前みどりの回廊プロジェクト",
            cost="no_cost",
            summary_key="花壇",
            roles=("venue",),
        ),
        says={
            "org_name": "NPO法人みどりのまちです",
            "contact_name": "佐藤美咲と申します",
            "email": "sato@midori-machi.example.jp",
            "title": "駅前花壇プロジェクトで",
            "summary": "駅前の空いている花壇を、地域の住民と一緒に季節の花で彩る活動を提案します。",
            "problem": "駅前の花壇が手入れされず、雑草だらけになっていることです。",
            "activities": "当法人が苗と道具を用意し、月2回、住民と植え替えと水やりをします。",
            "roles": "花壇を使わせていただきたいです。",
            "cost": "市の費用は必要ありません。",
        },
        asides=(
            Aside(
                at="problem",
                text="すみません、タイトルはやっぱり「駅前みどりの回廊プロジェクト」に変えたいです",
                expect="heeded",
            ),
        ),
    ),
    Persona(
        id="kfb-asks-midway",
        platform="kyoso-front",
        lang="ja",
        opening="大学の研究室から提案したいです",
        facts=Facts(
            organisation="横浜みなと大学",
            org_type="university",
            contact="鈴木花子",
            email="h-suzuki@minato-u.example.ac.jp",
            title="団地の買い物支援ロボット実証",
            cost="proposer_bears",
            summary_key="ロボット",
            roles=("venue", "publicity"),
        ),
        says={
            "org_name": "横浜みなと大学です",
            "org_type": "大学です",
            "contact_name": "鈴木 花子（すずき はなこ）です",
            "email": "h-suzuki@minato-u.example.ac.jp です",
            "title": "団地の買い物支援ロボット実証",
            "summary": "高台の団地で、自動走行ロボットが商店街から食料品を届ける実証をしたいと考えています。",
            "problem": "坂の多い団地で、高齢の方が買い物に行けなくなっていることです。",
            "activities": "研究室がロボットを2台用意し、学生と一緒に運行と安全確認を行います。",
            "roles": "団地の敷地を実証の場として使わせていただきたいのと、住民への周知をお願いしたいです。",
            "cost": "研究費でまかないますので、市のご負担はありません。実費はこちらで持ちます。",
        },
        asides=(
            Aside(
                at="summary",
                text="ちなみに、提案内容って公開されるんですか？",
                expect="answer",
                words=("非公開", "公表し"),
            ),
            Aside(
                at="roles",
                text="返事はいつごろもらえますか",
                expect="answer",
                words=("10営業日", "１０営業日"),
            ),
        ),
    ),
    Persona(
        id="kfb-dont-know-title",
        platform="kyoso-front",
        lang="ja",
        opening="提案したいです",
        facts=Facts(
            organisation="やまもと写真工房",
            org_type="sole_proprietor",
            contact="山本健太",
            email="kenta@yamamoto-photo.example.jp",
            title=None,
            cost="proposer_bears",
            summary_key="写真",
            roles=("publicity",),
        ),
        says={
            "org_name": "屋号は「やまもと写真工房」です",
            "org_type": "個人事業主でやってます",
            "contact_name": "山本健太です",
            "email": "kenta@yamamoto-photo.example.jp",
            "title": "未定です。まだ決めてないのでおまかせします",
            "summary": "区内の古い商店の写真を撮って、まちの記憶として展示会を開きたいです。",
            "problem": "昔からの商店が次々に閉店して、まちの記憶が失われつつあることです。",
            "activities": "私が撮影と展示の準備をします。写真は商店の方にも差し上げます。",
            "roles": "展示会の広報をお願いしたいです",
            "cost": "撮影や印刷の費用は自分で出します",
        },
    ),
    Persona(
        id="kfb-en-switch",
        platform="kyoso-front",
        lang="ja",
        switches_to="en",
        opening="すみません、提案をしたいです",
        facts=Facts(
            organisation="Harbor Mobility Inc.",
            org_type="company",
            contact="Daniel Ortiz",
            email="daniel@harbormobility.example.com",
            title="E-bike sharing for hillside neighbourhoods",
            cost="proposer_bears",
            summary_key="e-bike",
            roles=("venue", "permits"),
        ),
        says={
            "en:org_name": "It's Harbor Mobility Inc.",
            "en:org_type": "We're a private company.",
            "en:contact_name": "Daniel Ortiz",
            "en:email": "daniel@harbormobility.example.com",
            "en:title": "E-bike sharing for hillside neighbourhoods",
            "en:summary": "We want to run an e-bike sharing pilot with ten stations in the hilly residential areas of Naka Ward.",
            "en:problem": "Older residents on the hills struggle to get to the station and shops.",
            "en:activities": "We provide the bikes, the docking stations and the app, and we run maintenance.",
            "en:roles": "We need places for the stations and help with the road permits.",
            "en:cost": "We pay for everything ourselves.",
            "en:consents": "Yes, I agree to all three.",
            "en:confirm": "File it",
        },
        asides=(Aside(at="org_name", text="Sorry, can we continue in English?", expect="english"),),
    ),
    Persona(
        id="kfb-en-university",
        platform="kyoso-front",
        lang="en",
        opening="Hello, I'd like to submit a proposal.",
        facts=Facts(
            organisation="Kanagawa Institute of Design",
            org_type="university",
            contact="Priya Raman",
            email="p.raman@kid.example.ac.jp",
            title="Cool roofs for community centres",
            cost="proposer_bears",
            summary_key="reflective",
            roles=("venue", "data"),
        ),
        says={
            "org_name": "We're the Kanagawa Institute of Design.",
            "org_type": "A university",
            "contact_name": "My name is Priya Raman.",
            "email": "You can reach me at p.raman@kid.example.ac.jp",
            "title": 'Let\'s call it "Cool roofs for community centres"',
            "summary": "We'd like to coat the roofs of two community centres with a reflective paint and measure how much it lowers indoor temperatures in summer.",
            "problem": "Community centres get dangerously hot in summer and cooling costs keep rising.",
            "activities": "Our lab applies the coating with a local contractor and installs temperature loggers.",
            "roles": "Two community centres to test on, and their past electricity data.",
            "cost": "We cover all the costs ourselves",
        },
        asides=(
            Aside(
                at="title",
                text="Quick question - does it cost anything to submit a proposal?",
                expect="answer",
                words=("費用", "cost"),
            ),
        ),
    ),
    Persona(
        id="kfb-one-long-message",
        platform="kyoso-front",
        lang="ja",
        opening=LONG_ONE,
        facts=Facts(
            organisation="一般社団法人よこはま防災ラボ",
            org_type="association",
            contact="中村由美",
            email="nakamura@bousai-lab.example.org",
            phone="090-1234-5678",
            title="マンション防災井戸端会議",
            cost="proposer_bears",
            summary_key="防災ワークショップ",
            roles=("venue", "publicity"),
            leaks=("はじめまして",),
        ),
        says={
            "summary": "マンションの集会所で月1回、住民向けの防災ワークショップを開きます。",
            "problem": "大規模マンションで住民同士のつながりが薄く、災害時に助け合えないことです。",
            "activities": "当法人が講師と教材を用意して、月1回ワークショップを開き、在宅避難の備えを一緒に点検します。",
            "roles": "会場探しのご協力と広報をお願いしたいです。",
            "cost": "費用は当法人が負担します。",
        },
        stated=(
            "org_name",
            "org_type",
            "contact_name",
            "email",
            "phone",
            "title",
            "summary",
            "problem",
            "activities",
            "roles",
            "cost",
        ),
    ),
    Persona(
        id="kfb-en-long-email",
        platform="kyoso-front",
        lang="en",
        opening=EN_LONG,
        facts=Facts(
            organisation="GreenLoop Japan K.K.",
            org_type="company",
            contact="Emma Clarke",
            email="emma.clarke@greenloop.example.com",
            phone="045-000-1111",
            title=None,
            cost="proposer_bears",
            summary_key="container",
            roles=("publicity", "introductions"),
            leaks=("Programme Manager", "hope this message"),
        ),
        says={
            "title": "I haven't thought of one yet - could you suggest something?",
            "summary": "A reusable takeaway-container scheme for shops around Yokohama Station.",
            "problem": "Single-use takeaway containers pile up in the bins around the station.",
            "roles": "Help with publicity and an introduction to the shopping-street associations.",
            "cost": "We cover all the costs ourselves.",
            "activities": "We supply the containers, collect and wash them, and run the return points.",
            "consents": "Yes, I agree to all three.",
            "confirm": "Please file it.",
        },
        stated=("org_name", "contact_name", "email", "phone", "cost", "summary", "roles"),
    ),
    Persona(
        id="kfb-goes-back",
        platform="kyoso-front",
        lang="ja",
        opening="ごみの分別アプリの提案です",
        facts=Facts(
            organisation="合同会社ワケル",
            org_type="company",
            contact="小林真理子",
            email="kobayashi@wakeru.example.jp",
            title="外国人住民向け分別ナビ",
            cost="proposer_bears",
            summary_key="分別",
            roles=("data", "publicity"),
        ),
        says={
            "org_name": "合同会社ワケルです",
            "contact_name": "小林です",
            "email": "kobayashi@wakeru.example.jp",
            "title": "外国人住民向け分別ナビ",
            "summary": "写真を撮るだけで、ごみの分別方法を多言語で案内するアプリを区内で試したいです。",
            "problem": "外国人住民が分別ルールをわからず、集積所に回収されないごみが残ることです。",
            "activities": "弊社がアプリを開発して無料で配布し、問い合わせにも対応します。",
            "roles": "分別ルールのデータ提供と、区の広報紙での周知をお願いします。",
            "cost": "開発費も運用費も弊社持ちです",
        },
        asides=(Aside(at="email", text="あ、前の質問に戻りたいです", expect="previous"),),
    ),
    Persona(
        id="kfb-food-loss-genuine",
        platform="kyoso-front",
        lang="ja",
        opening=(
            "フードロス削減の提案です。市内のパン屋さんの閉店前の売れ残りを、アプリで割引価格で"
            "販売し、それでも残ったものはフードバンクに寄付する仕組みを、まず3区で実証したいです。"
            "お店の廃棄を減らし、困っている家庭に食べ物を届けることが目的です。"
        ),
        facts=Facts(
            organisation="株式会社もったいないテック",
            org_type="company",
            contact="渡辺翔",
            email="watanabe@mottainai-tech.example.jp",
            title="パンのフードロスゼロ実証",
            cost="proposer_bears",
            summary_key="フードバンク",
            roles=("publicity", "introductions"),
        ),
        says={
            "org_name": "株式会社もったいないテックでございます",
            "contact_name": "渡辺 翔と申します",
            "email": "watanabe@mottainai-tech.example.jp でお願いします",
            "title": "「パンのフードロスゼロ実証」",
            "problem": "パン屋さんで毎日たくさんのパンが廃棄されていることです。",
            "activities": "弊社がアプリを無料で提供し、フードバンクへの運搬も担います。",
            "roles": "市の広報でのご紹介と、フードバンク団体とのおつなぎをお願いしたいです。",
            "cost": "じゃあ、うちで持ちます",
        },
        stated=("summary",),
    ),
    Persona(
        id="kfb-hiragana-typos",
        platform="kyoso-front",
        lang="ja",
        opening="こんにちわ ていあんしたいんですけど",
        facts=Facts(
            organisation="あおば電器",
            org_type="company",
            contact="伊藤",
            email="ito@aoba-denki.example.jp",
            title="公園のソーラーベンチ",
            cost="no_cost",
            summary_key="ソーラーベンチ",
            roles=("venue",),
        ),
        says={
            "org_name": "あおば電器です〜",
            "org_type": "かいしゃです",
            "contact_name": "伊藤っす",
            "email": "めあどは ito@aoba-denki.example.jp",
            "title": "公園のソーラーベンチ",
            "summary": "公園にスマホ充電できるソーラーベンチおきたい 災害のときも使える",
            "problem": "さいがいのとき公園でスマホの充電できない",
            "activities": "うちでベンチつくって設置してメンテもする",
            "roles": "公園の場所かしてほしい",
            "cost": "市のお金はいらないです",
            "consents": "どういします",
            "confirm": "ていしゅつします",
        },
    ),
    Persona(
        id="kfb-roles-and-cost",
        platform="kyoso-front",
        lang="ja",
        opening="お世話になります。公園の遊具の見守りセンサーについて提案させてください。",
        facts=Facts(
            organisation="株式会社みらい見守り",
            org_type="company",
            contact="吉田あゆみ",
            email="yoshida@mirai-mimamori.example.jp",
            title="遊具の見守りセンサー実証",
            cost="proposer_bears",
            summary_key="センサー",
            roles=("venue", "data"),
        ),
        says={
            "org_name": "株式会社みらい見守りの吉田あゆみと申します。",
            "email": "yoshida@mirai-mimamori.example.jp までお願いいたします。",
            "title": "遊具の見守りセンサー実証",
            "summary": "公園の遊具に小型センサーを付けて、壊れかけた遊具を早めに見つける実証を提案いたします。",
            "problem": "遊具の点検が年に数回しかできず、故障に気づくのが遅れることです。",
            "activities": "弊社がセンサーを無償で取り付け、半年間データを集めて点検の目安をまとめます。",
            "roles": "公園を実証の場としてお借りしたいのと、過去の点検記録をいただきたいです。費用はすべて弊社で持ちます。",
        },
        also={"org_name": ("org_type", "contact_name"), "roles": ("cost",)},
    ),
]
