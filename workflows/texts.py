"""Every user-facing sentence of the desk, in Japanese and English."""

from __future__ import annotations

from typing import Any

_TEXTS: dict[str, tuple[str, str]] = {
    "menu": (
        "{platform}の窓口です。ご用件をお選びいただくか、そのまま文章でお書きください。",
        "This is the {platform} desk. Choose what you need, or just write it in your own words.",
    ),
    "menu.propose": ("連携の提案をする", "Make a proposal"),
    "menu.ask": ("会員制度・支援について質問する", "Ask about membership or support"),
    "menu.status": ("提案の状況を確認する", "Check a proposal's status"),
    "menu.human": ("担当者と話す", "Talk to staff"),
    "help": (
        "提案の受付、会員制度や支援についての質問、提案の状況確認ができます。"
        "入力中はいつでも「戻る」「キャンセル」「ヘルプ」と書けます。"
        "内容の訂正は「メールアドレスは x@example.jp に訂正」のように書いてください。",
        "I can take a proposal, answer questions about membership and support, and tell you "
        "where a proposal stands. At any time you can write 'back', 'cancel' or 'help'. "
        "To correct something, write e.g. 'change my email to x@example.com'.",
    ),
    "intake.start": (
        "ご提案ありがとうございます。いただいた内容から分かることは記録しました。足りない点だけ伺います。",
        "Thank you for your proposal. I noted what your message already says and will ask only "
        "for what is missing.",
    ),
    "ask.organisation.name": (
        "団体名（会社名）を教えてください。",
        "What is your organisation's name?",
    ),
    "ask.organisation.type": ("団体の種類を選んでください。", "What kind of organisation is it?"),
    "ask.contact.name": (
        "ご担当者のお名前を教えてください。",
        "What is the contact person's name?",
    ),
    "ask.contact.email": (
        "連絡先のメールアドレスを教えてください。",
        "Which e-mail address should we use?",
    ),
    "ask.content.title": (
        "提案のタイトルを一行で教えてください。",
        "Please give your proposal a one-line title.",
    ),
    "ask.content.summary": ("提案の概要を教えてください。", "Please summarise your proposal."),
    "ask.content.problem": (
        "この提案で解決したい地域の課題は何ですか。",
        "Which local problem does the proposal address?",
    ),
    "ask.content.activities": (
        "具体的に何を行いますか。貴団体が担うことも教えてください。",
        "What exactly will be done, and what will your organisation do?",
    ),
    "ask.content.municipality_roles": (
        "市（事務局）にお願いしたいことを選んでください（複数なら「1,2」のように番号で）。",
        "What do you ask of the city (or secretariat)? Several: answer with numbers like '1,2'.",
    ),
    "ask.content.cost_model": ("費用の考え方を選んでください。", "How will the costs be borne?"),
    "ask.proposer.membership_tier": (
        "参加の階層を選んでください。",
        "Which membership tier do you choose?",
    ),
    "ask.consents": (
        "最後に確認です。(1) 受け付けできない提案の説明（{rules_title} {rules_url}）を確認した、"
        "(2) 反社会的勢力との関係がない、(3) 個人情報の取扱い（{privacy_title}）に同意する。"
        "以上の3点に同意しますか。",
        "Last, please confirm: (1) you have read what is not accepted ({rules_title} "
        "{rules_url}), (2) you have no ties to antisocial forces, (3) you agree to the privacy "
        "notice ({privacy_title}). Do you agree to all three?",
    ),
    "yes": ("はい", "Yes"),
    "no": ("いいえ", "No"),
    "invalid.contact.email": (
        "メールアドレスの形が正しくないようです。例：taro@example.jp",
        "That does not look like an e-mail address, e.g. taro@example.com.",
    ),
    "invalid.corporate_number": (
        "法人番号 {number} は確認用の数字が合いません。正しい番号を「法人番号は…」と書いていただければ記録します（任意です）。",
        "The corporate number {number} fails its check digit. Write 'corporate number is ...' to record the right one (optional).",
    ),
    "invalid.contact.phone": (
        "電話番号の形が正しくないようです。例：045-123-4567",
        "That does not look like a Japanese phone number, e.g. 045-123-4567.",
    ),
    "invalid.choice": (
        "選択肢の番号か、選択肢の言葉で答えてください。",
        "Please answer with the number or the words of a choice.",
    ),
    "invalid.empty": ("もう少し詳しく教えてください。", "Could you tell me a little more?"),
    "invalid.too_long": (
        "少し長すぎます（{limit}文字まで）。短くしてください。",
        "That is a little long (up to {limit} characters). Please shorten it.",
    ),
    "consents.declined": (
        "3点すべてに同意いただけない場合、提案を受け付けることができません。"
        "同意いただける場合は「はい」、やめる場合は「キャンセル」とお書きください。",
        "Without all three we cannot accept a proposal. Answer 'yes' to agree, or 'cancel' "
        "to stop.",
    ),
    "rule.needs-budget": (
        "市の予算による委託や購入を前提とする提案は、この窓口ではお受けできず、入札やプロポーザルなどの"
        "調達手続の対象になります（根拠：{title} {url}）。費用をかけない形に組み直せるなら続けられます。",
        "Proposals that need the city to pay cannot be taken here: they go through procurement "
        "(tenders or proposal competitions) (see: {title} {url}). If the idea can work without "
        "public money, we can go on.",
    ),
    "rule.needs-budget.rework": ("費用をかけない形で続ける", "Continue without public money"),
    "rule.needs-budget.stop": ("提案をやめる", "Withdraw the proposal"),
    "rule.rejected": (
        "申し訳ありませんが、この提案はこのままではお受けできません。該当する決まり：{reason}"
        "（根拠：{title} {url}）。{reframe}担当者に相談することもできます。担当者におつなぎしましょうか。",
        "I am sorry, this proposal cannot be accepted as it stands. The rule it runs into: "
        "{reason} (see: {title} {url}). {reframe}You can also talk it over with staff. Shall I "
        "put you through?",
    ),
    "rule.reframe": (
        "地域の課題を一緒に解決する形（何を一緒に行い、地域に何が残るか）に組み直していただければ、"
        "改めてご提案いただけます。",
        "If you rework it around solving a local problem together (what you would do with us "
        "and what it leaves the community), you are welcome to propose again. ",
    ),
    "rule.handoff": (
        "受付できないと案内された提案について相談したい（{rule}）：{text}",
        "Would like to discuss a proposal the desk could not accept ({rule}): {text}",
    ),
    "summary": (
        "以下の内容で提出します。\n{summary}",
        "This is what will be filed:\n{summary}",
    ),
    "similar": ("似ている過去の事例：", "Similar past cases:"),
    "duplicate": (
        "以前に受け付けた提案によく似ています。同じ提案かどうかは担当者が確認しますので、このまま提出していただいて構いません。",
        "This reads very much like a proposal received earlier. Staff will check whether it is "
        "the same; you can still file it.",
    ),
    "confirm.question": ("この内容で提出しますか。", "Shall I file it?"),
    "confirm.submit": ("提出する", "File it"),
    "confirm.edit": ("修正する", "Change something"),
    "confirm.cancel": ("やめる", "Cancel"),
    "confirm.edit.how": (
        "修正したい点を「タイトルは○○に訂正」のように書いてください。",
        "Write what to change, e.g. 'change the title to ...'.",
    ),
    "filed": (
        "提案を受け付けました。受付番号は {reference} です。{due} までに担当からご連絡します"
        "（{days}営業日以内）。状況は「{reference} の状況は？」とお尋ねください。",
        "Your proposal is filed. Your reference number is {reference}. Staff will reply by "
        "{due} (within {days} business days). Ask '{reference} status?' at any time.",
    ),
    "cancelled": (
        "入力を取り消しました。いつでも最初からやり直せます。",
        "Cancelled. You can start again at any time.",
    ),
    "nothing_to_cancel": ("取り消す入力はありません。", "There is nothing to cancel."),
    "back.none": ("これ以上戻れません。", "There is nothing to go back to."),
    "corrected": ("{field}を「{value}」に訂正しました。", "{field} is now '{value}'."),
    "answer": (
        "「{title}」によると：\n{text}\n出典：{title} {url}",
        "From '{title}':\n{text}\nSource: {title} {url}",
    ),
    "weak": (
        "資料から確かな答えを見つけられませんでした。担当者に質問をおつなぎしましょうか。",
        "I could not find a reliable answer in the documents. Shall I pass your question to staff?",
    ),
    "weak.nearest": ("近い資料：{title} {url}", "Closest document: {title} {url}"),
    # Answers that lead with the sentences that answer (issue 10).
    "answer.lead": (
        "{text}\n出典：{title} {url}\n（資料の該当部分は「詳しく」とお書きください）",
        "{text}\nSource: {title} {url}\n(Write 'more' for the whole passage.)",
    ),
    "answer.japanese": (
        "{text}\n出典：{title} {url}\n（資料の該当部分は「詳しく」とお書きください）",
        "The answer is in a document written in Japanese. It says:\n{text}\n"
        "Source (in Japanese): {title} {url}\n(Write 'more' for the whole passage.)",
    ),
    "answer.more": (
        "「{title}」の該当部分です：\n{text}\n出典：{title} {url}",
        "The passage of '{title}':\n{text}\nSource: {title} {url}",
    ),
    "answer.more.none": (
        "詳しくお伝えできる直前の回答がありません。ご質問をどうぞ。",
        "There is no earlier answer to expand on. What is your question?",
    ),
    "greeting": (
        "こんにちは。{platform}の窓口です。ご用件をお選びいただくか、そのまま文章でお書きください。",
        "Hello! This is the {platform} desk. Choose what you need, or just write it in your own "
        "words.",
    ),
    "thanks": (
        "どういたしまして。ほかにご用件があれば、いつでもお書きください。",
        "You are welcome. If there is anything else, just write.",
    ),
    "complaint": (
        "ご不便をおかけして申し訳ありません。いただいた内容を担当者に伝えましょうか。",
        "I am sorry for the trouble. Shall I pass this on to staff?",
    ),
    "off_topic": (
        "申し訳ありません。この窓口では{platform}への提案と、会員制度・支援についてのご質問を"
        "承っています。それ以外のご用件にはお答えできません。",
        "Sorry, this desk takes proposals to {platform} and answers questions about its "
        "membership and support; I cannot help with other matters.",
    ),
    "opening.which.any": (
        "どちらのご用件ですか。いただいた文章はそのまま使います。",
        "Which of these do you mean? I will keep what you wrote.",
    ),
    "handoff.done": (
        "担当者に引き継ぎました（問い合わせ番号 Q-{number}）。この会話にお返事します。",
        "I passed it to staff (inquiry Q-{number}). They will answer in this chat.",
    ),
    "handoff.ask": (
        "担当者におつなぎします。ご用件を一言で教えてください。",
        "I will put you through to staff. What is it about, in a sentence?",
    ),
    "handoff.declined": ("承知しました。ほかにご用件があればどうぞ。", "All right. Anything else?"),
    "status.ask": (
        "受付番号を教えてください（例：{prefix}-2026-00012）。",
        "What is the reference number (e.g. {prefix}-2026-00012)?",
    ),
    "status.found": (
        "{reference}「{title}」の状況：{status}。ご連絡の期限：{due}。",
        "{reference} '{title}': {status}. Reply due by {due}.",
    ),
    "status.none": (
        "この会話からお送りいただいた提案は見つかりませんでした。受付番号がお分かりでしたらお書きください。担当者にもおつなぎできます。",
        "I cannot find a proposal you sent from this chat. If you have the reference number, "
        "write it here; I can also put you through to staff.",
    ),
    "status.several": (
        "お送りいただいた提案は次のとおりです。どれについて確認しますか。",
        "These are the proposals you sent. Which one shall I check?",
    ),
    "status.line": (
        "{number}. {reference}「{title}」：{status}",
        "{number}. {reference} '{title}': {status}",
    ),
    "opening.which": (
        "ご提案ですか、それともご質問ですか。いただいた文章はそのまま使います。",
        "Is this a proposal or a question? I will keep what you wrote either way.",
    ),
    "so_far": ("ここまでの内容です。\n{summary}", "What I have so far:\n{summary}"),
    "so_far.none": ("まだ何も伺っていません。", "Nothing has been filled in yet."),
    "resume.restored": (
        "先ほどの提案の続きから再開します。",
        "Picking up the proposal you stopped a moment ago.",
    ),
    "question.go": ("承知しました。ご質問をどうぞ。", "All right. What is your question?"),
    "status.unknown": (
        "受付番号 {reference} の提案は、この会話からは確認できません。番号をお確かめください。",
        "I cannot find proposal {reference} for you in this chat. Please check the number.",
    ),
    "notify.status": (
        "提案 {reference}「{title}」の状況が「{status}」になりました。",
        "Your proposal {reference} '{title}' is now: {status}.",
    ),
    "notify.declined": (
        "提案 {reference}「{title}」は見送りとなりました。理由：{reason}",
        "Your proposal {reference} '{title}' was declined. Reason: {reason}",
    ),
    "mail.reply.subject": ("【{reference}】担当者からの返信", "[{reference}] A reply from staff"),
    "mail.reply.body": (
        "ご提案 {reference} について、担当者から返信がありました。\n\n{text}\n\n"
        "お返事は、ご提案いただいたチャットにそのままお書きください。"
        "（このメールは送信専用です）",
        "Staff replied about your proposal {reference}:\n\n{text}\n\n"
        "To answer, write in the chat where you made the proposal. (This address takes no replies.)",
    ),
    "followup.ack": (
        "担当者にお伝えしました（{reference}「{title}」）。担当者からの返信をお待ちください。",
        "I've passed this on to the staff ({reference} '{title}'). They will reply here.",
    ),
    "followup.which": (
        "どの提案についてのご連絡ですか。番号でお選びください。",
        "Which of your proposals is this about? Choose a number.",
    ),
    "followup.line": ("{reference}「{title}」", "{reference} '{title}'"),
    "notify.merged": (
        "提案 {reference}「{title}」は、同じ趣旨のご提案とあわせて、受付番号 {other} として引き続き検討いたします。"
        "今後のお問い合わせには {other} をお使いください。",
        "Your proposal {reference} '{title}' will be considered further together with a proposal "
        "of the same aim, under reference {other}. Please use {other} from now on.",
    ),
    "notify.reply": ("【{reference} 担当者より】\n{text}", "[{reference}, from staff]\n{text}"),
    "notify.inquiry": (
        "【お問い合わせ Q-{number} への回答】\n{text}",
        "[Answer to inquiry Q-{number}]\n{text}",
    ),
    "notice.truncated": (
        "長いメッセージをありがとうございます。最初の{limit}文字までを読み取りました"
        "（全文は記録に残っています）。続きが大切でしたら、分けてお送りください。",
        "Thank you for the long message. I read its first {limit} characters (the full text "
        "is kept on record). If the rest matters, please send it in shorter messages.",
    ),
    "error": (
        "申し訳ありません、処理中に問題が起きました。もう一度お送りください。入力内容は保存されています。",
        "Sorry, something went wrong. Please send that again; nothing you entered is lost.",
    ),
    "busy.wait": (
        "少しお待ちください。いただいたメッセージは順番にお答えします。",
        "Just a moment, please. I will answer each of your messages in the order you sent them.",
    ),
    # Channels (bot/channels/notices.py): greetings and replies that need no desk turn.
    "channel.greeting": (
        "{platform}の窓口へようこそ。連携のご提案の受付、会員制度・支援についてのご質問、"
        "ご提案の状況確認をお手伝いします。ご用件をお選びいただくか、そのまま文章でお書きください。",
        "Welcome to the {platform} desk. I take proposals for collaboration, answer questions "
        "about membership and support, and tell you where a proposal stands. Choose what you "
        "need, or just write it in your own words.",
    ),
    "channel.shared": (
        "{platform}の窓口です。ご提案やご質問は、個別のトーク（1対1）でお話しください。"
        "このグループでは個人情報を伺いません。",
        "This is the {platform} desk. Please talk to me in a one-to-one chat for proposals and "
        "questions; I do not ask for personal details in a group.",
    ),
    "channel.shared.slack": (
        "{platform}の窓口です。続きはアプリとのダイレクトメッセージでお伺いします"
        "（このチャンネルでは個人情報を伺いません）。",
        "This is the {platform} desk. Let's continue in a direct message with the app "
        "(I do not ask for personal details in a channel).",
    ),
    "channel.file_kept": (
        "「{name}」を受け取りました。ご提案の添付資料としてお預かりします。続きをどうぞ。",
        'I received "{name}" and will keep it with your proposal. Please go on.',
    ),
    "channel.file_too_big": (
        "申し訳ありません。{limit}MBを超えるファイルはお預かりできません。"
        "小さくするか、ダウンロードできるリンクをお書きください。",
        "Sorry, I cannot keep files over {limit} MB. Please make it smaller, or write a link "
        "where it can be downloaded.",
    ),
    "channel.file_type": (
        "申し訳ありません。お預かりできるのはPDF、画像、Word・Excel・PowerPoint、テキストの"
        "ファイルです。内容を文章でお書きいただくか、リンクをお書きください。",
        "Sorry, I can keep PDF, image, Word, Excel, PowerPoint and text files only. Please write "
        "the content in words, or write a link.",
    ),
    "channel.text_only": (
        "申し訳ありません。ここでは文字のメッセージだけを読み取れます。ご用件を文章でお書きください。",
        "Sorry, I can only read text here. Please write what you need in words.",
    ),
}

_TEXTS.update(
    {
        "choice.skip": ("この項目は飛ばす", "Skip this one"),
        "choice.undecided": ("未定", "Not decided yet"),
        "choice.close": (
            "「{first}」と「{second}」のどちらでしょうか。",
            "Do you mean '{first}' or '{second}'?",
        ),
        "choice.example": (
            "うまく読み取れませんでした。たとえば「{example}」のようにお答えください。",
            "I could not read that. You could answer, for example: '{example}'.",
        ),
        "choice.skip_offer": (
            "この項目は任意です。飛ばしてもかまいません。",
            "This one is optional: you may skip it.",
        ),
        "intake.stuck": (
            "何度もお尋ねしてすみません。{field}は担当者と直接お話しいただくこともできます。"
            "担当者におつなぎするか、もう一度お書きください（例：「{example}」）。",
            "Sorry to keep asking. You can also settle the {field} with staff directly. Shall I "
            "put you through, or would you like to try again (e.g. '{example}')?",
        ),
        "intake.stuck.handoff": (
            "提案の入力中に「{field}」の項目で困っている：{text}",
            "Stuck at '{field}' while entering a proposal: {text}",
        ),
        "intake.to_question": (
            "承知しました。提案の入力はいったん止めます。ご質問をどうぞ。",
            "All right, I have stopped the proposal. What is your question?",
        ),
        "intake.resume_after": ("では、提案の続きです。", "Now, back to your proposal."),
        "intake.question.weak": (
            "資料からは確かな答えが見つかりませんでした。提案の入力が終わったあと、担当者にお尋ねいただけます。",
            "I could not find a reliable answer in the documents; you can ask staff once the "
            "proposal is entered.",
        ),
        "change.confirm": (
            "{field}は「{old}」と伺っていましたが、「{new}」に変更しますか。",
            "You gave '{old}' as the {field}. Change it to '{new}'?",
        ),
        "change.kept": ("{field}は「{old}」のままにします。", "The {field} stays '{old}'."),
        "title.suggest": (
            "タイトルの案：「{title}」\nこれでよければ「はい」、別のタイトルにする場合はそのままお書きください。",
            "A title suggestion: '{title}'\nAnswer 'yes' to keep it, or write the title you "
            "prefer.",
        ),
        "undecided.noted": (
            "{field}は未定として記録します。",
            "I will note the {field} as not decided yet.",
        ),
        "undecided.cited": (
            "{field}は未定として記録します。「{title}」によると：{text}\n出典：{title} {url}",
            "I will note the {field} as not decided yet. From '{title}': {text}\nSource: "
            "{title} {url}",
        ),
        "undecided.query": ("{field}は後から変更できますか", "Can the {field} be changed later?"),
        "title.later": (
            "タイトルは、提案の内容を伺ってから案をお出しします。",
            "No problem: I will suggest a title once I know what the proposal is.",
        ),
        "organisation.form_only": (
            "{type}ですね。",
            "A {type}, thank you.",
        ),
        "skipped": ("{field}は飛ばします。", "Skipping the {field}."),
        "ask.content.summary.restate": (
            "費用をかけない形で、何をどう変えるのかを含めて、提案の内容を改めて教えてください"
            "（概要をこの内容に書き換えます）。",
            "Please describe the proposal again as it will work without public money, "
            "including what changes (this replaces the summary).",
        ),
        "resume.ask": (
            "前回の提案「{what}」の入力が途中になっています。続きから入力しますか、最初からやり直しますか。",
            "Your proposal '{what}' was left unfinished. Shall we continue it, or start over?",
        ),
        "resume.continue": ("続きから入力する", "Continue it"),
        "resume.restart": ("最初からやり直す", "Start over"),
        "resume.untitled": ("（タイトル未定）", "(untitled)"),
    }
)

# Facts kept from an answer to another question; a mistyped e-mail domain (workflows.facts).
_TEXTS.update(
    {
        "facts.noted": ("{facts}を承りました。", "Noted: {facts}."),
        "contact.means.email": (
            "お電話番号は承りました。受付の控えとご返信はメールでお送りするため、"
            "メールアドレスもお伺いします。",
            "I have noted the phone number. The receipt and our replies go by e-mail, so I "
            "will ask for an e-mail address too.",
        ),
        "contact.no_email": (
            "ご返信と受付の控えはメールでお送りしています。メールアドレスをお持ちでない場合は、"
            "担当者がお電話で伺うこともできます（「担当者と話す」とお書きください）。",
            "Replies and the receipt go by e-mail. If you have no e-mail address, a member of "
            "staff can take your proposal by phone (write 'talk to staff').",
        ),
        "contact.means.noted": (
            "お電話番号も承りました。ご返信はメールでお送りします。",
            "I have noted the phone number too; our replies go by e-mail.",
        ),
        "email.typo": (
            "メールアドレス「{typed}」の「{domain}」は、「{likely}」のお間違いではありませんか？"
            "（はい／いいえ）",
            "Your e-mail address is '{typed}'. Did you mean '{likely}' rather than '{domain}'? "
            "(yes/no)",
        ),
        "restate.example": (
            "市の予算は使わず、回収ボックスの設置と運営の費用は当社が負担して実施します。",
            "We will run it without city money: we pay for the boxes and their running ourselves.",
        ),
        "email.kept": (
            "メールアドレスは「{typed}」のまま承ります。",
            "I will keep the e-mail address as '{typed}'.",
        ),
    }
)

FIELD_NAMES: dict[str, tuple[str, str]] = {
    "organisation.name": ("団体名", "Organisation"),
    "organisation.type": ("団体の種類", "Organisation type"),
    "contact.name": ("担当者名", "Contact"),
    "contact.email": ("メールアドレス", "E-mail"),
    "contact.phone": ("電話番号", "Phone"),
    "contact.department": ("部署", "Department"),
    "contact.title": ("役職", "Job title"),
    "organisation.corporate_number": ("法人番号", "Corporate number"),
    "organisation.location": ("所在地", "Location"),
    "content.title": ("タイトル", "Title"),
    "content.summary": ("概要", "Summary"),
    "content.problem": ("地域の課題", "Local problem"),
    "content.activities": ("取組内容", "Activities"),
    "content.municipality_roles": ("市へのお願い", "Asked of the city"),
    "content.cost_model": ("費用", "Costs"),
    "content.period": ("期間", "Period"),
    "content.themes": ("テーマ", "Themes"),
    "proposer.membership_tier": ("参加の階層", "Membership tier"),
}

CHOICE_LABELS: dict[str, tuple[str, str]] = {
    "company": ("企業", "Company"),
    "npo": ("NPO", "NPO"),
    "university": ("大学・研究機関", "University or research institute"),
    "association": ("団体・協会", "Association"),
    "financial": ("金融機関", "Financial institution"),
    "sole_proprietor": ("個人事業主", "Sole proprietor"),
    "other": ("その他", "Other"),
    "no_cost": ("市の費用負担なし", "No cost to the city"),
    "proposer_bears": ("実費は提案者が負担", "We bear the actual costs"),
    "needs_budget": ("市の予算が必要", "Needs city budget"),
    "venue": ("会場・実証の場の提供", "Venue or test field"),
    "publicity": ("広報への協力", "Publicity"),
    "data": ("データの提供", "Data"),
    "introductions": ("関係者の紹介", "Introductions"),
    "permits": ("許認可・調整", "Permits or coordination"),
    "co_hosting": ("共催", "Co-hosting"),
    "received": ("受付済み", "received"),
    "screening": ("確認中", "screening"),
    "in_dialogue": ("対話中", "in dialogue"),
    "department_review": ("担当部署で検討中", "under department review"),
    "agreed": ("合意", "agreed"),
    "declined": ("見送り", "declined"),
    "withdrawn": ("取り下げ", "withdrawn"),
    "merged": ("統合済み", "merged"),
}


def t(key: str, lang: str, **values: Any) -> str:
    """The text `key` in `lang` (Japanese unless `en`), formatted with `values`."""
    ja, en = _TEXTS[key]
    return (en if lang == "en" else ja).format(**values)


def field_name(field: str, lang: str) -> str:
    """A slot's name for people."""
    ja, en = FIELD_NAMES.get(field, (field, field))
    return en if lang == "en" else ja


def label(value: str, lang: str) -> str:
    """A choice value's label."""
    ja, en = CHOICE_LABELS.get(value, (value, value))
    return en if lang == "en" else ja
