"""Builds the one compiled module, ``sim._kernels`` (everything else is in pyproject.toml).

It is optional: where no C compiler is found the install goes on without it and ``sim.kernels``
uses the numpy rule, with the same results (more slowly).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("sim._kernels", ["sim/_kernels.c"], optional=True,
                             # same floating-point results as numpy: no fused multiply-add
                             extra_compile_args=["-O2", "-ffp-contract=off"])])
