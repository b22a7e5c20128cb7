"""Exercise texts: a Message whose params may themselves be Messages (a corner's name, a method's name)."""
from __future__ import annotations

from playground.errors import Message
from playground.i18n import DEFAULT_LANGUAGE, t


def say(message: Message, lang: str = DEFAULT_LANGUAGE) -> str:
    """The sentence in lang; params that are Messages are translated first (the UI uses this, not i18n.tm)."""
    params = {k: say(v, lang) if isinstance(v, Message) else v for k, v in message.params.items()}
    return t(message.key, lang, **params)

