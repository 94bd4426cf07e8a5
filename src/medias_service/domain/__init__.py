"""The media library's entities and rules: plain Python, no framework imports."""
