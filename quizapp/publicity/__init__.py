"""Legal publicity (法治宣传): 以案释法, 行政处罚公示, 每月一警示, 知识问答 and news pages, feeds and sitemap."""

from flask import Blueprint

bp = Blueprint("publicity", __name__, template_folder="templates")
