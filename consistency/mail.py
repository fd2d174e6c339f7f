"""Delivering the weekly report by email: HTML with the Markdown as the plain-text
alternative and the trend chart as an inline (CID) image, since many mail clients
block data: URIs."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from . import report as fmt
from .models import HingeError


def message(report: dict[str, Any], sender: str, recipients: Sequence[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = fmt.subject(report)
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(fmt.render(report, "md"))
    msg.add_alternative(fmt.render(report, "html", chart="cid"), subtype="html")
    png = fmt.chart_png(report)
    if png:
        html_part = msg.get_payload()[1]
        html_part.add_related(
            png, "image", "png", cid=f"<{fmt.CHART_CID}>", disposition="inline",
            filename="coverage-trend.png",
        )  # fmt: skip
    return msg


def parse_server(text: str, starttls: bool = False) -> tuple[str, int]:
    """HOST:PORT, or HOST alone for port 587 with STARTTLS and 25 without."""
    host, _, port = text.strip().rpartition(":") if ":" in text else (text.strip(), "", "")
    if not host or (port and not port.isdigit()):
        raise HingeError(f"{text!r} is not an SMTP server: use HOST:PORT, like mail.example:587")
    return host, int(port) if port else (587 if starttls else 25)


def send(
    msg: EmailMessage,
    server: str,
    *,
    starttls: bool = False,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 30,
) -> None:
    host, port = parse_server(server, starttls)
    if user and not password:
        raise HingeError("--smtp-user needs a password: set HINGE_SMTP_PASSWORD")
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            if user:
                smtp.login(user, password or "")
            smtp.send_message(msg)
    except smtplib.SMTPAuthenticationError as err:
        raise HingeError(f"{host}:{port} refused the login for {user}: check the password") from err
    except (smtplib.SMTPException, OSError) as err:
        raise HingeError(f"could not send the report through {host}:{port}: {err}") from err
