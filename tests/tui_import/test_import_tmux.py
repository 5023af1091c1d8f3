"""The import screen in the real ``overload`` command inside tmux (80x24): the keys it uses
(ctrl+r, ctrl+s, ctrl+o, ctrl+g, ctrl+u in the path box, y in the confirmation) all arrive through
tmux, and what is imported is in the database afterwards. Run alone with ``pytest -m tmux``."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.e2e.test_tmux import pytestmark, tmux  # noqa: F401 - the fixture and marks
from tests.transfer.helpers import db_counts, fixture_file
from tests.tui_import.helpers import strong_file


def test_import_two_files_through_tmux(tmux):  # noqa: F811 - the imported fixture
    work = Path(tmux.cwd)
    shutil.copy(fixture_file("strong_sample.csv"), work / "strong.csv")
    strong_file(work / "refused.csv", [("Squat (Barbell)", 100, 5), ("Squat (Barbell)", 100, 877777)])

    tmux.start("import")
    tmux.log_in()
    tmux.wait_for("0 workouts this week")

    tmux.keys("i")
    tmux.wait_for("Type a path")
    tmux.type("refused.csv")
    tmux.keys("Enter")
    tmux.wait_for("1 row refused (line 3)")
    tmux.keys("C-s")
    tmux.wait_for("Import without them (y)")
    tmux.keys("y")
    tmux.wait_for("Imported 1 workout, 1 set from refused.csv")

    tmux.keys("C-u")  # clear the path box
    tmux.wait_for("~/Downloads/strong.csv")  # the placeholder: the box is empty
    tmux.type("strong.csv")
    tmux.wait_for("File   strong.csv")
    tmux.keys("C-r")
    tmux.wait_for("Ready: 15 workouts, 250 sets")
    tmux.keys("C-s")
    tmux.wait_for("Imported 15 workouts, 250 sets from strong.csv")

    tmux.keys("C-o")
    tmux.wait_for("Export your log")
    tmux.keys("C-g")
    tmux.wait_for("Imported 15 workouts")
    tmux.keys("C-g")
    tmux.wait_for("Recent workouts")
    tmux.keys("C-q")
    tmux.wait_gone()

    from overload_tui.services import Services

    services = Services.open(tmux.env["DATABASE_URL"], data_dir=Path(tmux.env["OVERLOAD_DATA_DIR"]), upgrade=False)
    try:
        alice = services.auth.list_users()[0]
        counts = db_counts(services, alice.id)
        assert (counts["sessions"], counts["sets"]) == (16, 251)
    finally:
        services.close()
