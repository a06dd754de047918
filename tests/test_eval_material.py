"""The evaluation material is frozen: every file listed in tests/data/eval/SHA256SUMS, and the
held-out plan labels listed in HELDOUT*.sha256 (hashes recorded before the labels were opened),
still has the hash it was written with."""
import hashlib
from pathlib import Path

import pytest

from tests.conftest import ROOT

EVAL = ROOT / "tests" / "data" / "eval"
LISTS = [
    (EVAL / "SHA256SUMS", ROOT),
    (EVAL / "HELDOUT.sha256", EVAL / "plans-heldout"),
    (EVAL / "HELDOUT2.sha256", EVAL / "plans-heldout2"),
    (EVAL / "HELDOUT3.sha256", EVAL / "plans-heldout3"),
    (EVAL / "HELDOUT4.sha256", EVAL / "heldout4"),
    (EVAL / "HELDOUT5.sha256", EVAL / "heldout5"),
    (EVAL / "HELDOUT6.sha256", EVAL / "heldout6"),
    (EVAL / "HELDOUT7.sha256", EVAL / "heldout7"),
    (EVAL / "HELDOUT8.sha256", EVAL / "heldout8"),
    (EVAL / "HELDOUT9.sha256", EVAL / "heldout9"),
    (EVAL / "HELDOUT10.sha256", EVAL / "heldout10"),
    (EVAL / "HELDOUT11.sha256", EVAL / "heldout11"),
    (EVAL / "HELDOUT12.sha256", EVAL / "heldout12"),
    (EVAL / "HELDOUT13.sha256", EVAL / "heldout13"),
    (EVAL / "HELDOUT14.sha256", EVAL / "heldout14"),
    (EVAL / "HELDOUT15.sha256", EVAL / "heldout15"),
    (EVAL / "HELDOUT16.sha256", EVAL / "heldout16"),
    (EVAL / "HELDOUT17.sha256", EVAL / "heldout17"),
    (EVAL / "HELDOUT18.sha256", EVAL / "heldout18"),
    (EVAL / "HELDOUT19.sha256", EVAL / "heldout19"),
    (EVAL / "HELDOUT20.sha256", EVAL / "heldout20"),
    (EVAL / "HELDOUT21.sha256", EVAL / "heldout21"),
]


def _entries():
    for listing, base in LISTS:
        for line in listing.read_text(encoding="utf-8").splitlines():
            if line.strip():
                digest, name = line.split(maxsplit=1)
                yield pytest.param(digest, base / name.strip().lstrip("*"), id=f"{listing.name}:{name.strip()}")


@pytest.mark.parametrize("digest, path", list(_entries()))
def test_frozen_file_is_unchanged(digest, path: Path):
    held_out = path.parent.name.startswith("plans-heldout") or bool({"heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16", "heldout17"} & set(path.parts))
    if held_out and not path.parent.exists():
        pytest.skip("held-out labels are kept outside the repository until they are reported")
    assert path.exists(), f"{path} is listed as frozen evaluation material but is missing"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, f"{path} changed after it was frozen"
