"""benchmarks/stock_widgets.py at its shortest: every swap of a custom widget for Textual's stock
one runs the real screens, lays them out as the custom widget does and logs every set. Never
asserts on time (that is the benchmark's to show)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import stock_widgets as sw


def test_every_swap_runs_the_screens_and_lays_them_out_the_same(capsys):
    code = sw.main(["--variants", ",".join(sw.VARIANTS), "--rounds", "1", "--reps", "1", "--sets", "2",
                    "--startup-reps", "1", "--no-instructions", "--scale", "0.01"])
    out = capsys.readouterr().out
    assert code == 0
    for variant, (widget, stock, _) in sw.WIDGETS.items():
        assert f"{widget} -> {stock}: " in out, variant
    assert "layout: every variant placed every widget with an id where the custom one did" in out
    assert "checks, the same in every variant" in out  # history rows shown, no rows mode left on


def _results(custom: dict, stock: dict) -> dict:
    return {"variants": ["custom", "table"], "startup": {}, "startup_cpu": {}, "startup_ir": {},
            "ui": {"custom": {"log_set": custom["samples"]}, "table": {"log_set": stock["samples"]}},
            "ui_ir": {"custom": {"log_set": custom["ir"]}, "table": {"log_set": stock["ir"]}}}


def test_a_miss_counts_only_when_the_instructions_agree():
    custom = {"samples": [[20.0, 20.0]] * 19 + [[25.0, 25.0]], "ir": [100]}
    # CPU p95 over the target, but only 2 % more instructions: noise, not a miss.
    noisy = {"samples": [[20.0, 20.0]] * 18 + [[40.0, 40.0]] * 2, "ir": [102]}
    assert sw.verdicts(_results(custom, noisy))["table"] == ("replace", [], ["log_set"])
    # Both say it misses.
    costly = {"samples": [[35.0, 35.0]] * 20, "ir": [160]}
    assert sw.verdicts(_results(custom, costly))["table"] == ("keep", ["log_set"], [])
    cheap = {"samples": [[21.0, 21.0]] * 20, "ir": [105]}
    assert sw.verdicts(_results(custom, cheap))["table"] == ("replace", [], [])


def test_callgrind_dumps_by_label_in_order(tmp_path: Path):
    prefix = tmp_path / "cg.out"
    for number, label, count in ((2, "history", 20), (1, "history", 10), (3, "log_set", 5)):
        Path(f"{prefix}.{number}").write_text(
            f"version: 1\ndesc: Trigger: Client Request: {label}\nevents: Ir\nsummary: {count}\ntotals: {count}\n")
    prefix.write_text("desc: Trigger: Program termination\nsummary: 99\n")
    assert sw.callgrind_dumps(prefix) == {"history": [10, 20], "log_set": [5]}
