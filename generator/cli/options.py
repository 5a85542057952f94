"""The command-line options, made from the settings' declaration (generator/settings.py),
and the settings of a command: declared defaults < mkdocs.yml `extra: dossier:` < the
command line."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

import click

from generator.settings import (
    EXTRACTION,
    SITE,
    Settings,
    convert,
    declared,
    flag_of,
    is_path,
    with_mkdocs_defaults,
)
from generator.site.build import mkdocs_settings

F = TypeVar("F", bound=Callable[..., Any])


def _click_option(setting: dataclasses.Field[Any]) -> Callable[[F], F]:
    default = setting.default
    shown = "" if default is None or isinstance(default, bool) else f" [{default}]"
    help_text = setting.metadata["help"] + shown
    if isinstance(default, bool):
        flag = flag_of(setting)
        return click.option(flag, setting.name, is_flag=True, default=None, help=help_text)
    if setting.metadata["choices"]:
        kind: Any = click.Choice(setting.metadata["choices"])
    elif isinstance(default, int):
        minimum = setting.metadata["min"]
        kind = int if minimum is None else click.IntRange(minimum)
    else:
        kind = click.Path() if is_path(setting) else str
    return click.option(flag_of(setting), setting.name, type=kind, help=help_text)


def settings_options(*groups: str) -> Callable[[F], F]:
    """The options of the declared settings of these groups (and `--no-cache` with the
    cache)."""
    chosen = [s for s in declared() if s.metadata["group"] in groups]

    def decorate(function: F) -> F:
        for setting in reversed(chosen):
            function = _click_option(setting)(function)
            if setting.name == "cache":
                function = click.option(
                    "--no-cache",
                    is_flag=True,
                    default=None,
                    help="Extract every article again (and store the results anew).",
                )(function)
        return function

    return decorate


extraction_options = settings_options(EXTRACTION)
common_options = settings_options(EXTRACTION, SITE)


def command_settings(**options: object) -> Settings:
    """The settings of a command from its options (None: not given)."""
    given = {k: v for k, v in options.items() if v is not None}
    no_cache = bool(given.pop("no_cache", False))
    declaration = {s.name: s for s in declared()}
    values = {
        name: convert(declaration[name], value, "the command line") for name, value in given.items()
    }
    settings = Settings(**values)
    if settings.mkdocs_file.is_file():
        settings = with_mkdocs_defaults(settings, mkdocs_settings(settings), set(values))
    if no_cache:
        settings = dataclasses.replace(settings, read_cache=False)
    return settings
