"""Classify a User-Agent header: browser, mobile, bot or other (DEFLECTION.md, filter 1).

Only browser and mobile views are recorded; bots and anything that is not a known
browser are rejected at the door, before a single row is written.
"""

import re

BROWSER, MOBILE, BOT, OTHER = "browser", "mobile", "bot", "other"
RECORDED = (BROWSER, MOBILE)

# Known crawlers, headless browsers and HTTP libraries; plus the generic words robots use.
_BOTS = re.compile(
    r"\bbot\b|bot/|bot;|bot\)|spider|crawl|slurp|googlebot|bingbot|applebot|yandex|duckduck|baidu|"
    r"ahrefs|semrush|mj12|dotbot|petalbot|bytespider|gptbot|claudebot|ccbot|"
    r"facebookexternalhit|facebookcatalog|twitterbot|linkedinbot|slackbot|discordbot|"
    r"telegrambot|whatsapp|skypeuripreview|embedly|pinterest|redditbot|"
    r"headlesschrome|phantomjs|puppeteer|playwright|selenium|lighthouse|pagespeed|"
    r"curl|wget|python-requests|python-urllib|aiohttp|httpx|go-http-client|java/|okhttp|"
    r"libwww|lwp::|httpclient|axios|node-fetch|scrapy|postman|insomnia|"
    r"monitor|uptime|pingdom|statuscake|preview|feed|archiver|validator|scanner",
    re.IGNORECASE,
)
# What every mainstream browser sends; engines a real browser names.
_ENGINE = re.compile(r"^Mozilla/5\.0 \(.+\) .*(AppleWebKit|Gecko|Trident|Presto)/", re.IGNORECASE)
_MOBILE = re.compile(r"Mobi|Android|iPhone|iPad|iPod|Windows Phone|Opera Mini|Silk/", re.IGNORECASE)
MAX_LENGTH = 512  # longer headers are not browsers


def classify(user_agent: str | None) -> str:
    """Return "browser", "mobile", "bot" or "other" for a User-Agent header (None: other)."""
    ua = (user_agent or "").strip()
    if not ua:
        return OTHER
    if _BOTS.search(ua):
        return BOT
    if len(ua) > MAX_LENGTH or not _ENGINE.search(ua):
        return OTHER
    return MOBILE if _MOBILE.search(ua) else BROWSER
