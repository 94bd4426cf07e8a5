"""Encryption at rest of TOTP secrets (cryptography's Fernet: AES-128-CBC + HMAC-SHA256, authenticated)."""
