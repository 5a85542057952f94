"""Errors that stop a command with a message (never a traceback)."""


class BuildError(RuntimeError):
    """The build cannot go on; the message says why and which file is at fault."""
