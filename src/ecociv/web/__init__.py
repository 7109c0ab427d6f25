"""Web platform: FastAPI app, Jinja2 pages (zh-CN first), REST API /api/v1."""
