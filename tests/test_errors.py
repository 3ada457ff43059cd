"""One error path: every failure is one stderr line ``policydiff: error: FILE: what; what to do``, exit 2.

Exit status 1 means "the documents differ" to scripts, so a failure must never exit 1, and a
traceback must never reach the user. Checked both in-process (``policydiff.cli.main``) and through
a real process (what a shell sees: closed and full streams, the interpreter's final flush).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import policydiff
import policydiff.cli
import policydiff.limits
from conftest import SAMPLES, assert_coverage
from policydiff.cli import main
from policydiff.model import InputError
from policydiff.text import all_blank, clean, normalize, normalize_metadata, printable

OLD = str(SAMPLES / "sample-2022.txt")
NEW = str(SAMPLES / "sample-2023.txt")
PREFIX = "policydiff: error: "


def _one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(PREFIX), err
    assert "Traceback" not in err
    assert "; " in lines[0], "the line says what to do after '; '"
    return lines[0]


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run([sys.executable, "-m", "policydiff.cli", *args], text=True, timeout=60,
                          **streams)  # type: ignore[call-overload]


# --- in process ----------------------------------------------------------------------------------

@pytest.mark.parametrize("args, needle", [
    (["diff", OLD, NEW, "--width", "3"], "--width"),
    (["diff", OLD, NEW, "--format", "pdf"], "--format"),
    (["diff", OLD, NEW, "--no-such-option"], "--no-such-option"),
    (["diff", OLD], "Missing argument"),
    (["no-such-command"], "no-such-command"),
    (["diff", OLD, NEW, "--pin", "x"], "--pin"),
    (["diff", OLD, NEW, "--min-similarity", "2"], "--min-similarity"),
])
def test_bad_option_is_one_line_not_a_usage_box(args: list[str], needle: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert needle in _one_error_line(captured.err)
    assert captured.out == ""


def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.txt"
    old.write_bytes(Path(OLD).read_bytes())
    link = tmp_path / "link.txt"
    link.symlink_to(old)
    for target in (old, link):
        assert main(["diff", str(old), NEW, "-f", "html", "-o", str(target)]) == 2
        assert "-o names the input file" in _one_error_line(capsys.readouterr().err)
    assert old.read_bytes() == Path(OLD).read_bytes()


def test_output_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", OLD, NEW, "-o", str(tmp_path)]) == 2
    assert "directory" in _one_error_line(capsys.readouterr().err)
    assert main(["diff", OLD, NEW, "-o", str(tmp_path / "missing" / "x.html")]) == 2
    assert "cannot write" in _one_error_line(capsys.readouterr().err)
    if Path("/dev/full").exists():
        assert main(["diff", OLD, NEW, "-o", "/dev/full"]) == 2
        assert "No space left" in _one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("exc, needle", [
    (MemoryError(), "out of memory"),
    (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
    (KeyboardInterrupt(), "interrupted"),
    (ZeroDivisionError("a bug"), "internal error (ZeroDivisionError: a bug)"),
    (OSError(5, "Input/output error", "/some/file"), "/some/file: Input/output error"),
])
def test_resource_failures_and_bugs_are_one_line(exc: BaseException, needle: str, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise exc

    # the CLI imports the stage when the command runs: patch it where it is defined
    monkeypatch.setattr(importlib.import_module("policydiff.compare"), "compare", boom)
    assert main(["diff", OLD, NEW]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert needle in line
    if not isinstance(exc, OSError):
        assert OLD in line, "names the files being compared"


def test_control_characters_in_a_file_name_stay_on_one_line(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    name = tmp_path / "a\x1b[2J\nb\u202e.txt"
    assert main(["show", str(name)]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "\x1b" not in line and "\u202e" not in line and "\\x1b[2J\\nb\\u202e.txt" in line


def test_invisible_only_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\u200b \u3000\u202e\x01\n\u2028\ufeff\u00a0\u2066", encoding="utf-8")
    with pytest.raises(InputError, match="no visible text"):
        policydiff.read(path)
    assert main(["diff", str(path), OLD]) == 2
    assert "no visible text" in _one_error_line(capsys.readouterr().err)


def test_limits_refuse_with_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("".join(f"{i % 9 + 1}、标题{i}\n" for i in range(policydiff.limits.MAX_LINES + 1)),
                     encoding="utf-8")
    with pytest.raises(InputError, match="lines"):
        policydiff.read(lines)
    sample = Path(OLD)
    doc = policydiff.read(sample)
    monkeypatch.setattr(policydiff.limits, "MAX_NODES", sum(1 for _ in doc.nodes()) - 1)
    with pytest.raises(InputError, match="sections and paragraphs"):
        policydiff.read(sample)
    monkeypatch.undo()
    most = max(len(n.sentences) for n in doc.nodes())
    monkeypatch.setattr(policydiff.limits, "MAX_SENTENCES_PER_NODE", most - 1)
    with pytest.raises(InputError, match=f"(line|paragraph) of {most} sentences"):
        policydiff.read(sample)
    monkeypatch.undo()
    monkeypatch.setattr(policydiff.limits, "MAX_SENTENCES", sum(len(n.sentences) for n in doc.nodes()) - 1)
    with pytest.raises(InputError, match="sentences"):
        policydiff.read(sample)
    monkeypatch.undo()
    monkeypatch.setattr(policydiff.limits, "MAX_CHARS", len(doc.text) - 1)
    with pytest.raises(InputError, match="characters"):
        policydiff.read(sample)


def test_limits_before_parsing_say_where(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policydiff.limits, "MAX_SENTENCES_PER_NODE", 3)
    text = "一、总体要求\n" + "推进。" * 4 + "\n"
    with pytest.raises(InputError, match=r"a line of 4 sentences \(at offset 7"):
        policydiff.limits.check_text("x.txt", text)
    policydiff.limits.check_text("x.txt", "一、总体要求\n" + "推进。" * 3 + "\n")
    wrapped = "一、总体要求\n推进。推进\n工作。推进。推进。\n"  # hard-wrapped: one paragraph of 4 over two lines
    policydiff.limits.check_text("x.txt", wrapped)
    with pytest.raises(InputError, match=r"a paragraph of 4 sentences \(at offset 7"):
        policydiff.limits.check_document(policydiff.parse(wrapped, path="x.txt"))
    monkeypatch.setattr(policydiff.limits, "MAX_LINES", 2)
    policydiff.limits.check_text("x.txt", "\u200b\n一\n \n二\n\n")
    with pytest.raises(InputError, match="more than 2 lines"):
        policydiff.limits.check_text("x.txt", "一\r二\u2028三")


# --- through a process ---------------------------------------------------------------------------

@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_stdout_is_one_line_exit_2() -> None:
    with open("/dev/full", "w") as full:
        result = _run(["show", OLD], stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2
    assert "<stdout>: cannot write" in _one_error_line(result.stderr)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_failing_stderr_still_exits_2() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-c", "import sys; from policydiff.cli import entry; entry()",
                                 "show", OLD], stdout=full, stderr=full, timeout=60)
    assert result.returncode == 2


def test_bad_option_through_a_process() -> None:
    result = _run(["diff", OLD, NEW, "--colour", "red"])
    assert result.returncode == 2 and result.stdout == ""
    assert "--colour" in _one_error_line(result.stderr)


def test_unencodable_stdout_is_one_line() -> None:
    result = _run(["show", OLD], env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 2
    assert "PYTHONIOENCODING" in _one_error_line(result.stderr)


# --- text hygiene --------------------------------------------------------------------------------

BREAKS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c"]


@pytest.mark.parametrize("brk", BREAKS)
def test_every_unicode_line_break_breaks_lines(brk: str) -> None:
    text = brk.join(["一、总体要求", "1.强化党建引领工作。坚持党的领导。", "2.推进教育数字化。建设智慧校园。", ""])
    doc = policydiff.parse(text)
    assert [(n.kind, n.label, n.title) for n in doc.nodes()] == [
        ("part", "一、", "总体要求"), ("measure", "1.", "强化党建引领工作。"), ("measure", "2.", "推进教育数字化。")]
    assert_coverage(doc)


INVISIBLES = ["\x00", "\x01", "\x1b", "\x7f", "\x9b", "\u061c", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066",
              "\u2069", "\ufffe", "\uffff", "\ufdd0", "\U0010ffff", "\u200b", "\ufeff"]


@pytest.mark.parametrize("ch", INVISIBLES)
def test_invisible_characters_are_kept_in_spans_and_dropped_from_text(ch: str) -> None:
    plain = "一、总体要求\n1.强化党建引领工作。坚持党的领导。\n"
    dirty = plain.replace("党建", f"党{ch}建").replace("一、", f"{ch}一、").replace("坚持", f"坚持{ch}")
    a, b = policydiff.parse(plain), policydiff.parse(dirty)
    assert_coverage(b)
    for n in b.nodes():
        assert ch not in n.text and all(ch not in s.text for s in n.sentences)
    assert [n.text for n in a.nodes()] == [n.text for n in b.nodes()]
    assert ch in b.text[b.node("1.1").span[0]:b.node("1.1").span[1]], "kept in the span"
    cmp = policydiff.compare(a, b)
    assert not cmp.changed


def test_hygiene_helpers() -> None:
    assert all_blank("\u200b\u202e\x01 \u3000\n") and not all_blank("\u200b党")
    assert clean(" 党\u202e建\r\n 工作\x1b ") == "党建工作"
    assert normalize("党\u2066建\u200e") == normalize("党建")
    assert normalize_metadata("海教〔２０２１〕\xa01号") == normalize_metadata("海教[2021]1号")
    assert normalize_metadata("海教[2021]1号") != normalize_metadata("海教[2021]2号")
    assert printable("a\nb\x1b") == "a\\nb\\x1b" and printable("政府工作报告") == "政府工作报告"


EVERY_CONTROL = "".join(chr(c) for c in (*range(0x20), *range(0x7f, 0xa0)) if chr(c) != "\n") + "\u202e\u2066\ufffe"


def test_every_control_character_reaches_no_renderer() -> None:
    from policydiff.render import html, json, markdown, terminal

    a = policydiff.parse(f"一、总体要求{EVERY_CONTROL}\n1.强化党建{EVERY_CONTROL}引领工作。坚持党的领导。\n",
                         path=f"old{EVERY_CONTROL}.txt", metadata={"发文字号": f"海教{EVERY_CONTROL}1号"})
    b = policydiff.parse("一、总体要求\n1.强化党建引领工作。坚持党的全面领导。\n", path="new.txt",
                         metadata={"发文字号": "海教2号"})
    assert_coverage(a)
    cmp = policydiff.compare(a, b)
    outputs = {"html": html.render_comparison(cmp), "markdown": markdown.render_comparison(cmp),
               "terminal": terminal.render_comparison(cmp, color=False), "json": json.render_comparison(cmp)}
    allowed = "\t\n"  # the report's own indentation and line ends
    for name, out in outputs.items():
        bad = sorted({hex(ord(ch)) for ch in out if ch in EVERY_CONTROL and ch not in allowed})
        assert not bad, (name, bad)
    assert "\\x1b" in outputs["markdown"], "the file name is shown escaped, not dropped"
