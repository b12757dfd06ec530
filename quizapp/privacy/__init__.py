"""Personal information (个人信息保护法): phone handling and the rules page."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, template_folder="templates")
