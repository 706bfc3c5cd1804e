"""Every sentence of the web chat page and its message API, in Japanese and English."""

from __future__ import annotations

__all__ = ["PAGE_TEXT"]

PAGE_TEXT = {
    "ja": {
        "title": "窓口チャット",
        "label": "メッセージ",
        "placeholder": "ご用件をどうぞ（Enterで送信）",
        "send": "送信",
        "offline": "接続が切れました。再接続しています…入力した内容は失われません。",
        "wait": "少しお待ちください…",
        "refused": "このメッセージは送信できませんでした。内容を直して、もう一度送信してください。",
        "reload": "接続の有効期限が切れました。ページを再読み込みしてください。",
        "reference": "受付番号",
        "you": "あなた",
        "desk": "窓口",
        "other": "English",
        "reply_promise": "ご提案には、担当者から{days}営業日以内にお返事します（土日祝日を除く）。",
        "privacy": "個人情報の取扱い",
        "privacy_note": "いただいた内容は、窓口の運営とご提案への連絡のためだけに使います。",
        "count": "{count} / {limit}文字",
        "too_long": "{limit}文字までお送りいただけます（いま{count}文字）。分けて送ってください。",
        "menu": "ご用件",
        # Answers of the message API (also read by clients other than the page).
        "slow_down": "短い時間にたくさんのメッセージが届きました。{seconds}秒ほどお待ちください。",
        "malformed": "メッセージを読み取れませんでした。",
        "bad_csrf": "ページの有効期限が切れました。ページを再読み込みしてください。",
        "busy": "ただいま混み合っています。{seconds}秒ほどしてから、ページを開き直してください。",
    },
    "en": {
        "title": "Desk chat",
        "label": "Message",
        "placeholder": "How can we help? (Enter to send)",
        "send": "Send",
        "offline": "Connection lost. Reconnecting… nothing you typed is lost.",
        "wait": "Just a moment…",
        "refused": "This message could not be sent. Please edit it and send it again.",
        "reload": "Your chat session has expired. Please reload the page.",
        "reference": "Reference number",
        "you": "You",
        "desk": "Desk",
        "other": "日本語",
        "reply_promise": "Staff reply to a proposal within {days} business days (weekends and "
        "holidays excluded).",
        "privacy": "How we handle personal information",
        "privacy_note": "What you write is used only to run the desk and to reply to you.",
        "count": "{count} / {limit} characters",
        "too_long": "Messages can be up to {limit} characters (this one has {count}). "
        "Please send it in parts.",
        "menu": "What you need",
        "slow_down": "Many messages arrived in a short time. Please wait about {seconds} seconds.",
        "malformed": "The message could not be read.",
        "bad_csrf": "This page has expired. Please reload it.",
        "busy": "We are busy right now. Please open the page again in about {seconds} seconds.",
    },
}
