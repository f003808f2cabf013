"""`make run`/`make install` check the machine first and print one list of what is missing."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    bare = tmp_path / "bin"  # a PATH with bash and coreutils but no npm and no redis-server
    bare.mkdir()
    for tool in ("bash", "id", "env"):
        (bare / tool).symlink_to(subprocess.check_output(["bash", "-c", f"command -v {tool}"], text=True).strip())
    return subprocess.run(["bash", "bin/check-prerequisites"], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": str(bare), **env})


def test_everything_missing_is_listed_once_with_the_command_that_installs_it(tmp_path):
    result = check(tmp_path, PYTHON="python3-that-is-not-there")
    assert result.returncode == 1
    out = result.stdout
    assert "Python 3.11 or newer" in out and "Node.js and npm" in out and "redis-server" in out
    assert "apt-get install -y python3 nodejs npm redis-server" in out
    assert "brew install python@3.11 node redis" in out


def test_a_complete_machine_passes_silently():
    result = subprocess.run(["bash", "bin/check-prerequisites"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == ""
