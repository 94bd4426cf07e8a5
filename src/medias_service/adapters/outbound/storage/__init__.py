"""MediaStorage adapters: the local filesystem and S3-compatible object storage (obstore)."""
