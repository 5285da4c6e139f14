"""Build hook: compile the interface's gettext catalogues (``.po`` -> ``.mo``) with Babel.

Everything else about the package is in pyproject.toml. A wheel gets the ``.mo`` files in
its build directory; an editable install (``pip install -e .``) gets them next to the
``.po`` files in the checkout, where it reads them. Babel is in ``[build-system] requires``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _translations() -> ModuleType:
    """simulator/translations.py, loaded by path (it imports only the standard library)."""
    spec = importlib.util.spec_from_file_location(
        "_trustsim_translations", HERE / "simulator" / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class BuildWithCatalogues(build_py):
    """``build_py`` that also compiles ``simulator/locale/*/LC_MESSAGES/trustsim.po``."""

    def run(self) -> None:
        super().run()
        try:
            import babel  # noqa: F401
        except ImportError as exc:
            raise SystemExit("trustsim's build compiles its interface words with Babel: "
                             "pip install 'babel>=2.12,<3' (or build with build "
                             "isolation, which installs it)") from exc
        tools = _translations()
        source = HERE / "simulator" / "locale"
        if getattr(self, "editable_mode", False):
            written = tools.compile_all(source)
        else:
            written = tools.compile_all(source, Path(self.build_lib) / "simulator" / "locale")
        for mo in written:
            self.announce(f"compiled {mo}", level=2)


setup(cmdclass={"build_py": BuildWithCatalogues})
