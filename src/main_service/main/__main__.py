"""python -m main_service.main: serve main_service with uvicorn."""

from main_service.main.app import SERVICE

if __name__ == "__main__":
    SERVICE.serve()
