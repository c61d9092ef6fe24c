"""Convert the packaged embedding model for OpenVINO, in a process of its own.

    python -m curbside.retrieval.minilm_convert TARGET.xml [--threads N] [--precision bf16|f32]

Called by :func:`curbside.retrieval.minilm.load_openvino` the first time the model is needed; it
exits 0 only when the converted model passed the probe check against PyTorch.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from curbside.errors import CurbsideError
from curbside.retrieval.minilm import convert, model_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", type=Path)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--precision", choices=["bf16", "f32"], default="bf16")
    args = parser.parse_args(argv)
    try:
        convert(model_dir(), args.target, args.threads, args.precision)
    except CurbsideError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
