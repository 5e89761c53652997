"""The compiled loops of ``sim/_kernels.c``, or None where they were not built (no C compiler at
install time) or ``LEADSIM_KERNELS=numpy`` asks for the Python rules. Either way the results are
the same bit for bit (``tests/test_kernels.py``); only the speed differs."""

from __future__ import annotations

import os

try:
    if os.environ.get("LEADSIM_KERNELS", "") == "numpy":
        raise ImportError("LEADSIM_KERNELS=numpy")
    from . import _kernels as loops
except ImportError:
    loops = None
