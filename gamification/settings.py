"""Saving the administrator's gamification settings, as one change."""

from support.database import transactional
from support.services.settings import set_setting

from .antiabuse import SETTING as SERIAL_SETTING
from .rules import DAILY_CAP_SETTING, POINTS_SETTING


@transactional
def save_points_settings(actor, data: dict) -> None:
    """Store the points table, the daily cap and the serial-vote thresholds."""
    points = {key[len("points_"):]: int(value) for key, value in data.items() if key.startswith("points_")}
    set_setting(actor, POINTS_SETTING, points)
    set_setting(actor, DAILY_CAP_SETTING, int(data["daily_cap"]))
    set_setting(actor, SERIAL_SETTING, {"threshold": int(data["serial_threshold"]),
                                        "window_minutes": int(data["serial_window"])})
