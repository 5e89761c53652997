"""The package as it was at an earlier commit, importable beside this checkout's ``sim``, so that
a benchmark can time "before" and "after" in one process (the only comparison these shared, noisy
machines allow).

    sim_before = before.package("33ba56d")   # sim/ of that commit, imported as ``sim_before``

The copy is extracted with ``git archive`` into a temporary folder under another name; the
package uses relative imports only, so it runs there unchanged. If that commit has compiled loops
(``sim/_kernels.c``) they are built there too, so "before" is timed as it was installed.
"""

from __future__ import annotations

import atexit
import importlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package(ref: str, name: str = "sim_before"):
    """``sim`` at commit ``ref`` of this repository, imported as the top-level package ``name``."""
    blob = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, "sim"],
                          check=True, capture_output=True).stdout
    where = Path(tempfile.mkdtemp(prefix=f"leadsim-{name}-"))
    atexit.register(shutil.rmtree, where, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        tar.extractall(where, filter="data")
    (where / "sim").rename(where / name)
    if (where / name / "_kernels.c").exists():   # its compiled loops, built as an install would build them
        subprocess.run([sys.executable, "-c", "from setuptools import Extension, setup; setup(ext_modules=["
                        f"Extension('{name}._kernels', ['{name}/_kernels.c'], extra_compile_args=['-O2', "
                        "'-ffp-contract=off'])], script_args=['-q', 'build_ext', '--inplace'])"],
                       cwd=where, check=True, capture_output=True)
    sys.path.insert(0, str(where))
    return importlib.import_module(name)


def module(pkg, dotted: str):
    """A submodule of a package imported by ``package`` (e.g. ``module(p, "store")``)."""
    return importlib.import_module(f"{pkg.__name__}.{dotted}")
