import pytest

from aligners.align.beads import format_bead, parse_bead, read_beads, write_beads
from aligners.types import Bead


def test_format_plain_and_with_score():
    assert format_bead(Bead((0, 1), (2,), 0.87314)) == "[0, 1]:[2]"
    assert format_bead(Bead((0, 1), (2,), 0.87314), with_score=True) == "[0, 1]:[2]:0.8731"
    assert format_bead(Bead((5,), ())) == "[5]:[]"
    assert format_bead(Bead((), (3,))) == "[]:[3]"


@pytest.mark.parametrize("line,src,tgt,score", [
    ("[0,1]:[2]", (0, 1), (2,), 0.0),
    ("[0, 1]:[2]", (0, 1), (2,), 0.0),
    ("[7]:[]", (7,), (), 0.0),
    ("[]:[3, 4]", (), (3, 4), 0.0),
    ("[0, 1]:[2]:0.8731", (0, 1), (2,), 0.8731),
    ("  [12]:[15,16]  ", (12,), (15, 16), 0.0),
])
def test_parse(line, src, tgt, score):
    b = parse_bead(line)
    assert (b.src, b.tgt) == (src, tgt)
    assert b.score == pytest.approx(score)


@pytest.mark.parametrize("bad", ["", "[0]", "[a]:[1]", "0:1", "[0]:[1]:x", "[-1]:[2]"])
def test_parse_rejects(bad):
    with pytest.raises(ValueError):
        parse_bead(bad)


def test_round_trip_through_file(tmp_path):
    beads = [Bead((0,), (0, 1), 0.5), Bead((1, 2), (2,), 0.25), Bead((3,), (), 0.0), Bead((), (3,), 0.0)]
    path = tmp_path / "x.align"
    write_beads(beads, path, with_score=True)
    assert path.read_text() == "[0]:[0, 1]:0.5000\n[1, 2]:[2]:0.2500\n[3]:[]:0.0000\n[]:[3]:0.0000\n"
    assert read_beads(path) == beads
    write_beads(beads, path)
    assert [(b.src, b.tgt) for b in read_beads(path)] == [(b.src, b.tgt) for b in beads]
