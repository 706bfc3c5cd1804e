"""Optional e-mail copy of a staff reply to the proposer's address (SMTP settings).

The reply itself always goes through the proposer's chat channel (the durable outbox); the
e-mail is a notice on top, so a proposer on the web chat learns of a reply without coming back
to the page. Sent after the save has committed, outside any transaction; a failure is logged
and never undoes or repeats the reply.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from workflows.texts import t

log = logging.getLogger("madoguchi.mail")
TIMEOUT = 10.0
MAX_ADDRESS = 254


@dataclass(frozen=True)
class Mailer:
    """Where and as whom to send; built from the MADOGUCHI_SMTP_* settings."""

    host: str
    port: int = 25
    sender: str = "madoguchi@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_settings(cls, settings: object) -> Mailer | None:
        """A mailer, or None when no SMTP host is configured (the notice is off)."""
        host = getattr(settings, "smtp_host", None)
        if not host:
            return None
        return cls(
            host=host,
            port=int(getattr(settings, "smtp_port", 25)),
            sender=str(getattr(settings, "smtp_from", "madoguchi@localhost")),
            username=getattr(settings, "smtp_username", None),
            password=getattr(settings, "smtp_password", None),
            starttls=bool(getattr(settings, "smtp_starttls", False)),
        )

    def reply_notice(self, *, to: str, reference: str, text: str, lang: str) -> EmailMessage:
        """The message: 【KF-2026-00012】担当者からの返信, the reply, where to answer."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = t("mail.reply.subject", lang, reference=reference)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(t("mail.reply.body", lang, reference=reference, text=text))
        return message

    def send_reply(self, *, to: str | None, reference: str, text: str, lang: str) -> bool:
        """Send the notice; False (logged) when there is no usable address or SMTP fails."""
        address = (to or "").strip()
        if not address or len(address) > MAX_ADDRESS or "\n" in address or "@" not in address:
            return False
        message = self.reply_notice(to=address, reference=reference, text=text, lang=lang)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("reply notice for %s not e-mailed: %s", reference, type(exc).__name__)
            return False
        return True


__all__ = ["Mailer"]
