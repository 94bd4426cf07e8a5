"""python -m auth_service.main: serve auth_service with uvicorn (port 3002 unless AUTH_HTTP_PORT says otherwise)."""

from auth_service.main.app import SERVICE

if __name__ == "__main__":
    SERVICE.serve()
