"""bin/demo: the port it serves on is chosen with --port and the printed addresses follow it."""
import subprocess
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "bin" / "demo"


def run_demo(*args):
    return subprocess.run(["bash", str(DEMO), *args], capture_output=True, text=True, timeout=30)


def test_demo_prints_the_addresses_of_the_chosen_port():
    result = run_demo("--workers", "5", "--port", "8141", "--urls-only")
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8141/ " in result.stdout
    assert "http://127.0.0.1:8141/admin/" in result.stdout
    assert ":8000" not in result.stdout


def test_demo_defaults_to_port_8000():
    result = run_demo("--urls-only")
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8000/admin/" in result.stdout


def test_demo_refuses_a_port_that_is_not_a_number():
    result = run_demo("--port", "80; rm", "--urls-only")
    assert result.returncode == 2
    assert result.stdout == ""
