"""The benchmark (python -m bench) still runs end to end: a tiny ladder,
both windows, and every step converging on the exact count."""
import json
import subprocess
import sys

import pytest

from tests.server_process import PROJECT_ROOT

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(sys.version_info < (3, 11), reason="the benchmark needs Python 3.11 (bench/README.md)"),
]


def test_bench_measures_both_windows_and_finds_the_count_exact(tmp_path):
    figures = tmp_path / "bench.json"
    command = [sys.executable, "-m", "bench", "--ladder", "20", "--repeats", "1", "--sign-ups", "2"]
    command += ["--echo-round-trips", "20", "--max-seconds", "120", "--json", str(figures)]
    finished = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    results = json.loads(figures.read_text())
    assert [entry["window"] for entry in results["windows"]] == ["0", "default"]
    for entry in results["windows"]:
        (rung,) = entry["rungs"]
        for step in ("storm", "join", "leave", "disconnect"):
            assert rung[step]["status"] == "ok", f"window {entry['window']}: {step} {rung[step]}"
        assert rung["disconnect"]["exact"], f"window {entry['window']}: the count after the disconnects was off"
    assert results["echo"]["sign_ups"]["answers"] == {"302": 2}
    flood = results["flood"]
    assert flood["status"] == "ok", flood
    assert flood["flooder_dropped_after_s"] is not None, "the flooding tab was never disconnected"
    assert flood["flood_received_per_echoer"] == 10, "more than the burst reached the others"


def test_bench_measures_the_storm_on_one_and_two_processes_behind_nginx(tmp_path):
    figures = tmp_path / "bench.json"
    command = [sys.executable, "-m", "bench", "--processes", "1,2", "--ladder", "20", "--max-seconds", "120"]
    command += ["--json", str(figures)]
    finished = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "Several processes sharing one Redis behind nginx" in finished.stdout
    results = json.loads(figures.read_text())
    assert [entry["processes"] for entry in results["clusters"]] == [1, 2]
    for entry in results["clusters"]:
        (rung,) = entry["rungs"]
        assert rung["storm"]["status"] == "ok", f"{entry['processes']} processes: {rung['storm']}"
        assert rung["disconnect"]["exact"], f"{entry['processes']} processes: the count after the disconnects was off"
        servers = [name for name in rung["cpu_s"] if name.startswith("server")]
        assert len(servers) == entry["processes"], rung["cpu_s"]
