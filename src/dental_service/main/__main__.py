"""python -m dental_service.main: serve dental_service with uvicorn."""

from dental_service.main.app import SERVICE

if __name__ == "__main__":
    SERVICE.serve()
