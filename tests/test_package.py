from typer.testing import CliRunner

from ecociv import __version__
from ecociv.cli import build_app
from ecociv.errors import EcocivError
from ecociv.ingest.encoding import decode_text
from ecociv.model import Verdict, VerdictStatus


def test_cli_prints_version():
    result = CliRunner().invoke(build_app(), ["version"])
    assert result.exit_code == 0
    assert result.output.strip() == __version__


def test_error_message_is_bilingual_with_location():
    err = EcocivError("文件为空", "the file is empty", where="plan.docx")
    assert err.message("zh") == "plan.docx: 文件为空"
    assert err.message("en") == "plan.docx: the file is empty"


def test_verdict_status_has_chinese_label():
    v = Verdict(status=VerdictStatus.NOT_MET, reason_zh="低于阈值", reason_en="below threshold")
    assert v.status.zh == "未达标"
    assert v.model_dump()["status"] == "not_met"


def test_decode_text_detects_utf8_bom_and_gb18030():
    assert decode_text("指标".encode()) == ("指标", "utf-8")
    assert decode_text(b"\xef\xbb\xbf" + "指标".encode()) == ("指标", "utf-8-sig")
    assert decode_text("森林覆盖率≥60".encode("gb18030")) == ("森林覆盖率≥60", "gb18030")
