"""Names shared by the task tests."""

ADMIN = "pytest-admin"
