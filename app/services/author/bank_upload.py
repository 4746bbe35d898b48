"""Bank upload (zip or YAML files, checked member by member) and export as a .zip."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import yaml

import vocab
from app.models import User
from app.services.author.content import UploadError
from app.services.quiz.bank import export_bank
from app.services.quiz.bank_import import ImportReport, import_bank
from quizzes import BankError, Problem

UPLOAD_MAX_BYTES = 2 * 1024 * 1024
UNZIPPED_MAX_BYTES = 8 * 1024 * 1024
UPLOAD_MAX_FILES = 500


# --------------------------------------------------------------------------- import / export


def _safe_member(name: str) -> PurePosixPath | None:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or not p.parts:
        return None
    if any(part.startswith(".") or part == "__MACOSX" for part in p.parts):
        return None
    return p


def _skip_name(name: str) -> str | None:
    """How a zip member that is not extracted is listed as skipped (None: extract it)."""
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or not p.parts:
        return f"{name} (unsafe path)"
    for i, part in enumerate(p.parts):
        if part.startswith(".") or part == "__MACOSX":
            return "/".join(p.parts[: i + 1]) + ("/" if i + 1 < len(p.parts) else "")
    if p.suffix.lower() not in (".yaml", ".yml"):
        return str(p)
    return None


def _sort_uploads(
    uploads: Sequence[tuple[str, bytes]],
) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    """Check the upload as a whole (count, size, kinds); returns its (zips, yamls)."""
    total = sum(len(data) for _, data in uploads)
    if not uploads:
        raise UploadError("Choose a .zip of the bank folder or one or more .yaml files.")
    if total > UPLOAD_MAX_BYTES:
        raise UploadError(
            f"The upload is {total / 1024 / 1024:.1f} MB; the limit is "
            f"{UPLOAD_MAX_BYTES // 1024 // 1024} MB."
        )
    zips = [(n, d) for n, d in uploads if n.lower().endswith(".zip")]
    yamls = [(n, d) for n, d in uploads if n.lower().endswith(".yaml")]
    others = [n for n, _ in uploads if not n.lower().endswith((".zip", ".yaml"))]
    if others:
        raise UploadError(f"Only .zip and .yaml files can be imported (got {others[0]}).")
    if zips and (len(zips) > 1 or yamls):
        raise UploadError("Upload either one .zip or several .yaml files, not both.")
    return zips, yamls


def _unpack_zip(name: str, data: bytes, root: Path, skipped: list[str] | None) -> None:
    """Extract the bank content of one .zip under `root`, within the file and size limits."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UploadError(f"{name} is not a valid .zip file.") from exc
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > UPLOAD_MAX_FILES:
            raise UploadError(f"The .zip holds more than {UPLOAD_MAX_FILES} files.")
        if sum(i.file_size for i in infos) > UNZIPPED_MAX_BYTES:
            raise UploadError(
                f"The .zip unpacks to more than {UNZIPPED_MAX_BYTES // 1024 // 1024} MB."
            )
        for info in infos:
            member = _safe_member(info.filename)
            skip = _skip_name(info.filename)
            if member is None or skip is not None:
                if skipped is not None and skip is not None and skip not in skipped:
                    skipped.append(skip)
                continue
            target = root.joinpath(*member.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out, length=64 * 1024)


def _write_yamls(yamls: Sequence[tuple[str, bytes]], loose: Path) -> list[Path]:
    """Write loose .yaml uploads flat into `loose`, refusing unsafe or clashing names."""
    loose.mkdir(parents=True)
    paths = []
    for name, data in yamls:
        member = _safe_member(PurePosixPath(name.replace("\\", "/")).name)
        if member is None:
            raise UploadError(f"Unsafe file name {name!r}.")
        target = loose / member.name
        if target.exists():
            raise UploadError(f"Two uploaded files are called {member.name}.")
        target.write_bytes(data)
        paths.append(target)
    return paths


def unpack(
    uploads: Sequence[tuple[str, bytes]], dest: Path, skipped: list[str] | None = None
) -> list[Path]:
    """Write the uploads under `dest`; returns the paths to import. Raises UploadError.

    Zip members that are not bank content (README.md, .DS_Store, __MACOSX/, unsafe paths) are
    not extracted; their names go to `skipped`, so the result page lists them.
    """
    zips, yamls = _sort_uploads(uploads)
    if zips:
        root = dest / "bank"
        _unpack_zip(zips[0][0], zips[0][1], root, skipped)
        if not root.exists():
            raise UploadError("The .zip holds no .yaml files.")
        return [root]
    return _write_yamls(yamls, dest / "files")


def _relative_name(file: str, base: Path) -> str:
    for prefix in (str(base / "bank") + "/", str(base / "files") + "/", str(base) + "/"):
        if file.startswith(prefix):
            return file[len(prefix) :]
    return file


def _relative(problem: Problem, base: Path) -> str:
    return f"{_relative_name(problem.file, base)}:{problem.line}: {problem.message}"


class ImportProblems(Exception):
    """The import was refused; `lines` are FILE:LINE: message, relative to the upload."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(lines))


def import_upload(uploads: Sequence[tuple[str, bytes]], actor: User) -> ImportReport:
    """Import an uploaded bundle all or nothing (via `import_bank`, like the CLI).

    The caller commits, or rolls back when this raises ImportProblems."""
    with tempfile.TemporaryDirectory(prefix="postrx-import-") as tmp:
        base = Path(tmp).resolve()
        skipped: list[str] = []
        paths = unpack(uploads, base, skipped)
        try:
            report = import_bank(paths, actor=actor)
        except BankError as exc:
            raise ImportProblems([_relative(p, base) for p in exc.problems]) from exc
        except (yaml.YAMLError, UnicodeDecodeError, AttributeError, TypeError) as exc:
            raise ImportProblems([f"upload:1: cannot read the files: {exc}"]) from exc
        report.skipped = skipped + [_relative_name(f, base) for f in report.skipped]
        return report


def export_zip() -> bytes:
    """The latest published bank as a .zip in the documented folder layout."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="postrx-export-") as tmp:
        root = Path(tmp) / vocab.COURSE_SLUG
        written = export_bank(root)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(written):
                zf.write(path, str(path.relative_to(Path(tmp))))
    return buf.getvalue()
