"""Text encodings are detected or refused by name, never guessed silently (issue 18 #8).

Big5 and Shift-JIS bytes decode "successfully" as GB18030 into nonsense; before the fix they
were read with exit 0 and no diagnostic, and UTF-32 was reported as UTF-16.
"""

from __future__ import annotations

import codecs

import pytest
from fixture_builders import plan_text_twin

from ecociv.errors import InputError
from ecociv.ingest.encoding import decode_text, gb2312_share
from ecociv.ingest.limits import check_input, wide_unicode

TRADITIONAL = [
    "表1 生態文明建設規劃指標體系\n\n\t序號\n\t指標名稱\n\t目標值\n\n\t1\n\t空氣品質優良天數比例\n\t大於90%\n\n",
    "第三章 主要任務\n\n推進綠色發展，加強污染防治，保護生態環境，建設美麗城市。\n",
    "\t單位\n\t現狀值\n\t屬性\n\n\t噸/萬元\n\t0.35\n\t約束性\n\n",
]
JAPANESE = [
    "表1 環境基本計画の指標\n\n\t番号\n\t指標名\n\t目標値\n\n\t1\n\t大気環境基準の達成率\n\t90%以上\n\n",
    "第2章 施策の展開\n\n温室効果ガスの排出削減と、生物多様性の保全を進めます。\n",
]
KOREAN = [
    "표1 환경 지표 체계\n\n\t번호\n\t지표\n\t목표\n\n\t1\n\t대기질 좋음 일수 비율\n\t90% 이상\n\n",
    "제3장 주요 과제\n\n녹색 발전을 추진하고 오염 방지를 강화하며 생태 환경을 보호한다.\n",
]
SIMPLIFIED = [
    plan_text_twin(),
    "第三章 主要任务\n\n推进绿色发展，加强污染防治，保护生态环境，建设美丽城市。人均公园绿地面积≥15㎡。\n",
    "\t单位\n\t现状值\n\t属性\n\n\t吨/万元\n\t0.35\n\t约束性\n\n\t①\n\t≤35μg/立方米\n\t—\n\n",
]


@pytest.mark.parametrize("text", TRADITIONAL)
@pytest.mark.parametrize("encoding", ["big5", "cp950"])
def test_big5_is_refused_by_name(text, encoding):
    with pytest.raises(InputError) as raised:
        decode_text(text.encode(encoding), where="plan.txt")
    assert "Big5" in raised.value.en and "Big5" in raised.value.zh


@pytest.mark.parametrize("text", JAPANESE)
def test_shift_jis_is_refused_by_name(text):
    with pytest.raises(InputError) as raised:
        decode_text(text.encode("shift_jis"))
    assert "Shift-JIS" in raised.value.en


@pytest.mark.parametrize("text", KOREAN)
def test_euc_kr_is_refused_by_name(text):
    with pytest.raises(InputError) as raised:
        decode_text(text.encode("euc_kr"))
    assert "EUC-KR" in raised.value.en


@pytest.mark.parametrize("text", SIMPLIFIED)
@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_mainland_text_is_still_read_as_gb18030(text, encoding):
    decoded, found = decode_text(text.encode(encoding))
    assert (decoded, found) == (text, "gb18030")


@pytest.mark.parametrize("text", SIMPLIFIED)
def test_utf8_is_read_as_utf8_with_or_without_bom(text):
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")
    assert decode_text(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, "utf-8-sig")


def test_a_few_characters_beyond_gb2312_are_normal():
    text = "\t年均浓度\n\t≤35μg/m³\n\t人均绿地≥15㎡\n\t负责人：王堃\n\n"
    assert decode_text(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize("text", SIMPLIFIED)
def test_the_gb2312_share_separates_the_encodings(text):
    assert gb2312_share(text) > 0.95
    for traditional in TRADITIONAL:
        assert gb2312_share(traditional.encode("big5").decode("gb18030")) < 0.7


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
    ],
)
@pytest.mark.parametrize("text", SIMPLIFIED)
def test_wide_unicode_is_named_exactly(tmp_path, encoding, name, text):
    data = text.encode(encoding)
    assert wide_unicode(data) == name
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as raised:
        check_input(path)
    assert f"the text is {name} encoded" in raised.value.en


def test_the_command_refuses_big5_with_one_line(tmp_path, monkeypatch, capsys):
    import sys

    from ecociv.cli import main

    path = tmp_path / "plan.txt"
    path.write_bytes(TRADITIONAL[0].encode("big5"))
    monkeypatch.setenv("ECOCIV_LANG", "en")
    monkeypatch.setattr(sys, "argv", ["ecociv", "ingest", str(path)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Big5 (Traditional Chinese)" in err[0]
