"""Access tokens of unlocked share links."""
