"""CLI conventions (issue 22): --version, - for standard input, NO_COLOR and --color, readable --help with
examples, shell completion."""

from __future__ import annotations

import importlib.metadata
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import policydiff
import policydiff.cli
from conftest import SAMPLES
from policydiff.cli import main

OLD, NEW = str(SAMPLES / "sample-2022.txt"), str(SAMPLES / "sample-2023.txt")
COMMANDS = ("show", "diff", "timeline", "demo", "batch", "fetch")


class _Terminal(io.StringIO):
    """A stdout that says it is a terminal, so ``--color auto`` would colour."""

    def isatty(self) -> bool:
        return True


def _run(args: list[str], stdin: bytes | None = None, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "policydiff.cli", *args], input=stdin, capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"policydiff {policydiff.__version__}\n"
    assert policydiff.cli.__version__ == policydiff.__version__ == importlib.metadata.version("policydiff")


def test_stdin_for_show_and_one_side_of_diff() -> None:
    data = Path(NEW).read_bytes()
    shown = _run(["show", "-"], stdin=data)
    assert shown.returncode == 0 and "青溪县二〇二三年教育工作要点" in shown.stdout.decode()
    for args in (["diff", OLD, "-"], ["diff", "-", OLD]):
        result = _run([*args, "--summary"], stdin=data)
        assert result.returncode == 1, result.stderr
        first = result.stdout.decode().splitlines()[0]
        assert first.count("青溪县") == 2 and "→" in first
    gbk = _run(["show", "-"], stdin=Path(NEW).read_text(encoding="utf-8").encode("gb18030"))
    assert gbk.returncode == 0 and b"gb18030" in gbk.stdout  # detected like a file


def test_stdin_errors_are_one_line() -> None:
    both = _run(["diff", "-", "-"], stdin=b"x")
    assert both.returncode == 2 and both.stderr.decode().count("\n") == 1 and "one side only" in both.stderr.decode()
    empty = _run(["show", "-"], stdin=b"")
    assert empty.returncode == 2 and "<stdin>: is empty" in empty.stderr.decode()


def test_stdin_from_a_terminal_is_refused(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal())
    assert main(["show", "-"]) == 2
    assert "<stdin>: is a terminal" in capsys.readouterr().err


@pytest.mark.parametrize(("color", "no_color", "coloured"), [
    ("auto", None, True), ("auto", "1", False), ("auto", "", True), ("always", "1", True), ("never", None, False)])
def test_color_and_no_color(monkeypatch: pytest.MonkeyPatch, color: str, no_color: str | None, coloured: bool) -> None:
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    for command in (["diff", OLD, NEW], ["demo"]):
        out = _Terminal()
        monkeypatch.setattr(sys, "stdout", out)
        assert main([*command, "--color", color]) in (0, 1)
        assert ("\x1b[" in out.getvalue()) is coloured, (command, color, no_color)


def test_color_auto_never_colours_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stdout", _Terminal())
    out = tmp_path / "r.txt"
    assert main(["diff", OLD, NEW, "-o", str(out)]) == 1
    assert "\x1b[" not in out.read_text(encoding="utf-8")


def test_every_colouring_command_has_color() -> None:
    for command in ("diff", "demo", "timeline"):
        assert "--color auto|always|never" in _help([command])


def _help(args: list[str]) -> str:
    result = _run([*args, "--help"], env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def test_help_has_examples_and_readable_metavars() -> None:
    top = _help([])
    assert "Examples:" in top and "policydiff diff 2022.txt 2023.txt" in top
    assert "--version" in top and "--install-completion" in top
    for command in COMMANDS:
        text = _help([command])
        assert "list[" not in text and "<bool>" not in text and "<str>" not in text and "<int" not in text, command
    assert "--pin OLD_ID=NEW_ID" in _help(["diff"]) and "Examples:" in _help(["diff"])
    assert "PATH  Documents of one issuer" in _help(["timeline"])


def test_help_shows_the_aligner_default() -> None:
    from policydiff.align import AlignOptions

    assert AlignOptions().min_similarity == policydiff.cli.DEFAULT_MIN_SIMILARITY
    assert f"(default {AlignOptions().min_similarity})" in " ".join(_help(["diff"]).split())


@pytest.mark.parametrize("user", [None, "3"])
def test_command_starts_no_blas_thread_pools(user: str | None) -> None:
    """The command runs numpy and scipy with OpenBLAS on the calling thread only (``cli.BLAS_THREADS``); a
    value the user set is kept."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if user is not None:
        env["OPENBLAS_NUM_THREADS"] = user
    code = ("import atexit, os, sys\n"
            "atexit.register(lambda: print(os.environ.get('OPENBLAS_NUM_THREADS')))\n"
            "sys.argv = ['policydiff', '--version']\n"
            "from policydiff.cli import entry\n"
            "entry()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0 and out.stdout.splitlines()[-1] == (user or policydiff.cli.BLAS_THREADS)


def test_collector_after_a_command_started() -> None:
    """Called from another program, a command leaves the garbage collector as it found it (running, nothing
    frozen); as the ``policydiff`` process it has it running again once its modules are imported, those
    frozen (``cli._importing``)."""
    import gc

    frozen = gc.get_freeze_count()
    assert main(["show", OLD]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    code = ("import gc, sys\n"
            "from policydiff import cli\n"
            "write = cli._write\n"
            "def seen(text, output):\n"
            "    print(gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr)\n"
            "    write(text, output)\n"
            "cli._write = seen\n"
            f"sys.argv = ['policydiff', 'diff', {OLD!r}, {NEW!r}]\n"
            "cli.entry()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and out.stderr.split() == ["True", "True"], out.stderr


def test_shell_completion() -> None:
    # the shell named, not detected: detection reads the parent processes, and a test run started in the
    # background (reparented to init) has no shell among them (typer's own switch for this)
    script = _run(["--show-completion", "bash"], env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert script.returncode == 0 and b"_POLICYDIFF_COMPLETE" in script.stdout
    completed = _run([], env={"_POLICYDIFF_COMPLETE": "complete_bash", "COMP_WORDS": "policydiff di",
                              "COMP_CWORD": "1"})
    assert completed.stdout.decode().split() == ["diff"]


def test_render_options_constant_is_every_format_option() -> None:
    from policydiff.render import FORMATS, OPTIONS, options_of

    assert frozenset().union(*(options_of(f) for f in FORMATS)) == OPTIONS
