"""python -m medias_service.main: serve medias_service with uvicorn."""

from medias_service.main.app import SERVICE

if __name__ == "__main__":
    SERVICE.serve()
