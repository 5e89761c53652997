"""Progress bars and messages on stderr: whole lines now and then in logs, messages above the bar."""

import io
import logging
import subprocess
import sys

from sim import progress


class Log(io.StringIO):
    def isatty(self):
        return False


def test_in_a_log_the_bar_writes_a_few_whole_lines(monkeypatch):
    log = Log()
    monkeypatch.setattr(sys, "stderr", log)
    bar = progress.bar(500, unit="run")
    for i in range(500):
        bar.set_postfix_str(f"baseline r{i}", refresh=False)
        bar.update()
    bar.close()
    text = log.getvalue()
    assert "\r" not in text and "\x1b" not in text
    lines = text.splitlines()
    assert 2 <= len(lines) <= 3, lines  # the start and the end (and one a minute between)
    assert "500/500" in lines[-1] and "baseline r499" in lines[-1]


def test_a_disabled_or_empty_bar_writes_nothing(monkeypatch):
    log = Log()
    monkeypatch.setattr(sys, "stderr", log)
    for bar in (progress.bar(10, enabled=False), progress.bar(0)):
        bar.update()
        bar.close()
    assert log.getvalue() == ""


def test_library_messages_reach_stderr_through_logging(capsys):
    progress.log_to_stderr()
    progress.log_to_stderr()  # once is enough: no second handler
    logging.getLogger("sim.experiment").warning("run failed: scenario x")
    logging.getLogger("sim.experiment").debug("not shown")
    assert capsys.readouterr().err == "run failed: scenario x\n"


def test_library_modules_do_not_print():
    # only the command line (cli, and the uncertainty commands' uncertainty_cli) writes to the console directly
    found = subprocess.run(["grep", "-rln", r"print(", "sim", "--include=*.py"], capture_output=True, text=True,
                           cwd=progress.__file__.rsplit("/sim/", 1)[0]).stdout.split()
    assert sorted(found) == ["sim/cli.py", "sim/uncertainty_cli.py"], found
