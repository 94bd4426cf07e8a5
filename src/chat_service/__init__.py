"""chat_service: groups of platform users talking over WebSocket, and watch parties with synchronized playback."""
