"""Load the system's C++ runtime before usearch's extension.

usearch's Linux wheel carries its own, statically linked copy of libstdc++. When that extension is
the first C++ library in the process, C++ libraries loaded after it (OpenVINO, TorchScript) break:
OpenVINO's ``read_model`` fails with an empty ``RuntimeError`` and TorchScript tracing crawls.
Loading the shared libstdc++ first, with global symbols, avoids both; it is what importing
OpenVINO or torch before usearch would do. tests/retrieval/test_minilm.py keeps this honest.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys

_loaded = False


def load_shared_cxx_runtime() -> None:
    """Load libstdc++.so.6 with RTLD_GLOBAL once (Linux only; elsewhere a no-op)."""
    global _loaded
    if _loaded or not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError):  # a system without the shared C++ runtime: nothing to do
        ctypes.CDLL("libstdc++.so.6", mode=os.RTLD_GLOBAL)
    _loaded = True
