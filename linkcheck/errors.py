"""Errors that end a command with exit status 2 and a one-line message."""


class InputError(Exception):
    """The user's input (a file, an option, a config) cannot be used."""
