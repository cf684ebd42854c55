"""A small, dependency-free guess at whether a post is Italian or English."""

import re

_WORDS = re.compile(r"[a-zàèéìíòóù']+")
_IT = frozenset(
    "il lo la i gli le un una uno di da in con su per tra fra che non è sono ho ha hanno "
    "come del della dei delle nel nella al alla mi ti si ci vi mio mia questo questa "
    "perché quando anche ma più ancora dopo già sempre ogni cosa posso devo grazie ciao "
    "buongiorno salve qualcuno sapete come fare".split()
)
_EN = frozenset(
    "the a an of to in on for with is are was were be been have has had i you it my "
    "your this that these those not but and or when why how can could should would do "
    "does did after before still already any some thanks hello hi anyone know".split()
)


def detect_language(text: str, fallback: str = "it") -> str:
    """Return "it" or "en" by counting common words; the fallback when it cannot tell."""
    words = _WORDS.findall((text or "").lower())
    it = sum(w in _IT for w in words)
    en = sum(w in _EN for w in words)
    if it == en:
        return fallback if fallback in ("it", "en") else "it"
    return "it" if it > en else "en"
