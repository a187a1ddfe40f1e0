"""Settings: radar.toml + environment + flags -> one frozen `Settings`, checked by `schema`.

`follows` edits radar.toml in place (tomlkit, comments kept); nothing else writes the file.
"""

from radar.config.settings import Follows, LLMSettings, Settings, load_settings

__all__ = ["Follows", "LLMSettings", "Settings", "load_settings"]
