"""allauth's e-mails (sign-up confirmation, password reset, sign-in codes)
leave through the outbox like every platform e-mail: rendered with the
platform's name and ``SITE_URL``, sent after commit by Celery.

The hook lives here, not in ``accounts``: accounts is identity only and
imports no other app, while sending mail is this app's job. Settings point
allauth at this subclass of ``accounts.adapter.AccountAdapter``.
"""

from __future__ import annotations

from typing import Any

from allauth.core import context as allauth_context

from accounts.adapter import AccountAdapter as IdentityAdapter
from core import site

from .emails import Email
from .outbox import send_after_commit


class AccountAdapter(IdentityAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's e-mail with the platform's name and with every
        ``*_url`` in ``context`` moved onto ``SITE_URL``. allauth builds links
        (sign-up, password reset) from the request's host, and names the site
        after it ("Hello from 127.0.0.1:8000!") when the sites framework is
        not installed; the templates under ``templates/account/email/`` read
        ``site_name`` and ``site_url`` as the platform's own e-mails do. The
        message is plain text (there are no HTML templates) and leaves
        through the outbox, after commit, as every platform e-mail does."""
        ctx: dict[str, Any] = {
            "request": allauth_context.request,
            "email": email,
            **site.email_context(),
        }
        for key, value in context.items():
            ctx[key] = (
                site.on_site(value) if key.endswith("_url") and isinstance(value, str) else value
            )
        message = self.render_mail(template_prefix, email, ctx)
        # Through the outbox like every other e-mail: after commit, by Celery.
        send_after_commit(
            [
                Email(to=address, subject=message.subject, body=message.body)
                for address in message.to
            ]
        )
