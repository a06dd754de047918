"""The channels switched on by configuration: a channel is on when its credentials are set."""
from __future__ import annotations

from core.config import Settings


def enabled_channels(settings: Settings, sessions, engine_getter) -> list:
    channels = []
    c = settings.channels
    if c.telegram.token:
        from bot.channels.telegram import TelegramChannel

        channels.append(TelegramChannel(c.telegram, sessions, engine_getter))
    if c.zalo_bot.token:
        from bot.channels.zalo_bot import ZaloBotChannel

        channels.append(ZaloBotChannel(c.zalo_bot, sessions, engine_getter))
    if c.zalo_oa.app_id and c.zalo_oa.secret_key:
        from bot.channels.zalo_oa import ZaloOAChannel

        channels.append(ZaloOAChannel(c.zalo_oa, sessions, engine_getter))
    if c.rasa.url:
        from bot.channels.rasa import RasaChannel

        channels.append(RasaChannel(c.rasa))
    return channels
