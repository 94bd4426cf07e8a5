"""Account mails: rendered from the templates beside this module, queued in maindb's outbox."""
