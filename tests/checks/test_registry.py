import importlib
import pkgutil

import preflight.checks as checks_pkg
from preflight.checks import CHECKS

NOT_CHECKS = {"base"}


def test_every_check_module_is_registered_once_under_its_name():
    modules = {m.name for m in pkgutil.iter_modules(checks_pkg.__path__)} - NOT_CHECKS
    assert modules == set(CHECKS)
    for name in modules:
        module = importlib.import_module(f"preflight.checks.{name}")
        assert module.NAME == name
        assert CHECKS[name] is module.check
