"""python -m chat_service.main: serve chat_service with uvicorn."""

from chat_service.main.app import SERVICE

if __name__ == "__main__":
    SERVICE.serve()
