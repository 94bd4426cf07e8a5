"""python -m studio_service.main: serve studio_service with uvicorn."""

from studio_service.main.app import SERVICE

if __name__ == "__main__":
    SERVICE.serve()
