"""Run every benchmark under bench/ in turn."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in sorted(HERE.glob("*.py")):
    if script.name == "run.py":
        continue
    print(f"== {script.name}")
    subprocess.run([sys.executable, str(script)], check=True)
