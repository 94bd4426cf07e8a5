"""auth_service's domain: accounts as the directory reports them, sessions, tokens, password and abuse rules."""
