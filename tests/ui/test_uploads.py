"""Uploads: allow-list, size limit, and names that never leave the upload folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.web.uploads import (
    StoredUpload,
    forget_upload,
    received_uploads,
    safe_filename,
    store_uploads,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("article.txt", "article.txt"),
        ("../../../etc/cron.d/x.txt", "x.txt"),
        ("..\\..\\windows\\x.md", "x.md"),
        ("/abs/path/y.html", "y.html"),
        (".hidden.txt", "hidden.txt"),
        ("a b;rm -rf $(x).jsonl", "a_b_rm_-rf_x_.jsonl"),
        ("..", "upload"),
        ("", "upload"),
        ("x" * 300 + ".txt", "x" * 96 + ".txt"),
    ],
)
def test_safe_filename(given: str, expected: str) -> None:
    assert safe_filename(given) == expected


def held(tmp_path: Path, name: str, data: bytes) -> Path:
    """A file as Gradio holds an upload: somewhere in its own temporary folder."""
    path = tmp_path / "gradio-tmp" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_store_uploads_writes_only_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "index" / "uploads"
    source = held(tmp_path, "a.txt", b"Title\n\nBody.")
    stored, refused = store_uploads([("../../escape.txt", source)], folder)
    assert refused == []
    [upload] = stored
    assert upload.name == "escape.txt"
    assert upload.path.parent == folder.resolve() and upload.path.name.startswith("escape-")
    assert upload.path.read_bytes() == b"Title\n\nBody."
    assert not (tmp_path / "escape.txt").exists()
    assert not (tmp_path / "index" / "escape.txt").exists()


def test_store_uploads_refuses_with_reasons(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    files = [
        ("notes.pdf", held(tmp_path, "notes.pdf", b"%PDF")),
        ("big.txt", held(tmp_path, "big.txt", b"x" * 2_048)),
        ("empty.md", held(tmp_path, "empty.md", b"")),
        ("ok.md", held(tmp_path, "ok.md", b"# T\n\nText.")),
    ]
    stored, refused = store_uploads(files, folder, max_bytes=1_024)
    assert [u.name for u in stored] == ["ok.md"]
    reasons = {r.name: r.reason for r in refused}
    assert "upload .txt, .md" in reasons["notes.pdf"]
    assert "big.txt is 2.0 kB, over the 1.0 kB upload limit" in reasons["big.txt"]
    assert "newsdesk ingest" in reasons["big.txt"]
    assert "empty" in reasons["empty.md"]
    assert [p.name for p in folder.iterdir()] == [stored[0].path.name]


def test_same_name_other_content_does_not_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    first, _ = store_uploads([("a.txt", held(tmp_path, "1.txt", b"one"))], folder)
    again, _ = store_uploads([("a.txt", held(tmp_path, "2.txt", b"one"))], folder)
    other, _ = store_uploads([("a.txt", held(tmp_path, "3.txt", b"two"))], folder)
    assert first == again
    assert other[0].path != first[0].path and other[0].path.parent == folder.resolve()
    assert first[0].path.read_bytes() == b"one" and other[0].path.read_bytes() == b"two"


def test_only_files_gradios_upload_route_wrote_are_received(tmp_path: Path) -> None:
    gradio = tmp_path / "gradio"
    wrote = held(gradio, "a.txt", b"uploaded")
    (gradio / "gradio-tmp" / "link.txt").symlink_to(wrote)
    elsewhere = held(tmp_path / "server", "secret.txt", b"server file")
    copied = held(gradio, "copied.txt", b"a copy Gradio made of a named path")
    received = {str(wrote), str(elsewhere), str(gradio / "gradio-tmp" / "link.txt")}
    named = [str(wrote), str(elsewhere), str(copied), str(gradio / "gradio-tmp" / "link.txt")]
    # outside the folder, not received, or a link: none of them is read
    assert received_uploads(named, received, gradio) == [str(wrote)]
    assert received_uploads(["/no/such/file.txt"], {"/no/such/file.txt"}, "/no") == []


def test_forget_upload_removes_the_file_and_its_folder_but_nothing_outside(
    tmp_path: Path,
) -> None:
    gradio = tmp_path / "gradio"
    wrote = held(gradio, "a.txt", b"uploaded")
    outside = held(tmp_path / "server", "keep.txt", b"keep")
    forget_upload(wrote, gradio)
    forget_upload(outside, gradio)
    forget_upload(gradio, gradio)
    assert not wrote.exists() and not wrote.parent.exists() and gradio.is_dir()
    assert outside.read_bytes() == b"keep"


def test_stored_upload_keeps_the_users_name(tmp_path: Path) -> None:
    [upload], _ = store_uploads([("Été notes.txt", held(tmp_path, "x", b"t"))], tmp_path / "u")
    assert upload == StoredUpload("Ete_notes.txt", upload.path)
