"""Errors the pure core raises for bad input; the message is one clear line for the user."""


class InputError(ValueError):
    """An input that cannot be turned into an article (empty, binary, no article text...)."""
