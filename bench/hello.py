"""The ceiling: a bare Flask app answering ``GET /`` with a short text, served like quizapp."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Return a short greeting."""
    return "hello"
