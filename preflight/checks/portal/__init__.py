"""Which login is this: the login form (``loginform``), what each field asks for (``formfields``),
whose login it is (``roles``), from the words of one data file (``vocabulary``). Pure."""

from preflight.checks.portal.check import NAME, check

__all__ = ["NAME", "check"]
