"""medias_service: the media library — upload, versions, tags, trash, download and range streaming."""
