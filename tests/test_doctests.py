"""Every module's worked example (its doctest) runs and holds."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import kagami

MODULES = sorted(m.name for m in pkgutil.walk_packages(kagami.__path__, "kagami."))


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
