"""Notifications: the outbox dispatcher, templates, the aiosmtplib transport and digests (issue 4)."""
