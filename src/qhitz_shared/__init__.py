"""What is identical in every Qhitz service: settings, errors, tokens, HTTP kit, pagination."""
