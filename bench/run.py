"""Run every benchmark under bench/ in turn.

Modules whose names start with an underscore are helpers, not benchmarks. The load benchmarks
(web_load.py, vote_load.py) need PostgreSQL, Redis and a database loaded by `seed_scale`; they
run only with --load.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOAD = {"web_load.py", "vote_load.py"}

for script in sorted(HERE.glob("*.py")):
    if script.name == "run.py" or script.name.startswith("_"):
        continue
    if script.name in LOAD and "--load" not in sys.argv:
        print(f"== {script.name}: skipped (needs PostgreSQL, Redis and seed_scale; use --load)")
        continue
    print(f"== {script.name}")
    subprocess.run([sys.executable, str(script)], check=True)
