"""FastStream subscribers: decode the message, call the use case, settle the message."""
