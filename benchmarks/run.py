"""Every benchmark in one go: `make bench`. Prints figures; asserts nothing.

Targets (issue #4, #3, #5) are read off this output, never enforced by timed tests.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
BENCHES = [
    ("extraction", "bench_extract.py"),
    ("pipeline", "bench_pipeline.py"),
    ("web pages", "bench_web.py"),
    ("eval per bundled corpus", "bench_eval.py"),
]


def main() -> None:
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    print(
        f"# Hinge benchmarks, {date.today()}, {platform.machine()}, {cpu} cores, "
        f"Python {platform.python_version()}"
    )
    for title, script in BENCHES:
        print(f"\n## {title}\n", flush=True)
        subprocess.run([sys.executable, str(HERE / script)], check=False)


if __name__ == "__main__":
    main()
