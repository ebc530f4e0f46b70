import os

# Tests run with production settings (DEBUG off); they only need a key of their own.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault(
    "LIAISON_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test")
)
