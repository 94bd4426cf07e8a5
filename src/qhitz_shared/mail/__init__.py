"""Sending email: the ``Mailer`` port, an SMTP adapter (aiosmtplib) and an .eml-file adapter for development."""
