"""Departments, evidence files and notifications: the shared pieces of the reporting cycle and
of projects, tasks and problems (on SQLite and PostgreSQL through the ``session`` fixture)."""

from __future__ import annotations

import hashlib
import io
import smtplib
import threading
import zipfile
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from sqlalchemy import select
from store_builders import ADMIN

from ecociv import notify
from ecociv.settings import load_settings
from ecociv.store.errors import Conflict, Forbidden, NotFound, StorageFault, ValidationError
from ecociv.store.models import AuditEntry
from ecociv.store.services import departments, evidence, users

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def settings(tmp_path):
    return load_settings(data_dir=tmp_path, max_upload_mb=1)


# --------------------------------------------------------------------------- departments


def test_departments_are_created_listed_by_subtree_and_assigned(tree):
    departments.create_department(
        tree, ADMIN, code="xx-sthj", name="西溪区生态环境局", region_code="990101"
    )
    departments.create_department(
        tree, ADMIN, code="dl-tjj", name="东岭区统计局", region_code="990102"
    )
    departments.create_department(
        tree, ADMIN, code="city-slj", name="青岚市水利局", region_code="9901"
    )
    users.create_user(tree, ADMIN, name="填报员", password=None, role="viewer")
    departments.assign_user(tree, ADMIN, "填报员", "xx-sthj")
    tree.commit()

    assert [d.code for d in departments.list_departments(tree, "990101")] == ["xx-sthj"]
    assert {d.code for d in departments.list_departments(tree, "9901")} == {
        "xx-sthj",
        "dl-tjj",
        "city-slj",
    }
    assert (
        users.get_user(tree, "填报员").department_id
        == departments.get_department(tree, "xx-sthj").id
    )
    actions = tree.scalars(select(AuditEntry.action).where(AuditEntry.entity == "department"))
    assert sorted(actions) == ["create", "create", "create"]


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("", "统计局", "部门代码"),
        ("a b", "统计局", "部门代码"),
        ("ok", "", "部门名称"),
        ("ok", "名" * 101, "部门名称"),
    ],
)
def test_a_bad_department_is_refused_with_the_reason(tree, code, name, expected):
    with pytest.raises(ValidationError) as refused:
        departments.create_department(tree, ADMIN, code=code, name=name)
    assert expected in refused.value.zh


def test_department_duplicates_unknowns_and_non_admins(tree):
    departments.create_department(tree, ADMIN, code="tjj", name="统计局")
    with pytest.raises(Conflict):
        departments.create_department(tree, ADMIN, code="tjj", name="另一个")
    with pytest.raises(NotFound):
        departments.get_department(tree, "nope")
    editor = users.create_user(
        tree, ADMIN, name="ed", password=None, role="editor", region_code="9901"
    )
    with pytest.raises(Forbidden):
        departments.create_department(tree, editor, code="x", name="某局")


def test_user_email_is_checked(tree):
    user = users.create_user(tree, ADMIN, name="u1", password=None, role="viewer", email=" a@b.cn ")
    assert user.email == "a@b.cn"
    with pytest.raises(ValidationError):
        users.update_user(tree, ADMIN, "u1", email="not-an-address")
    assert users.update_user(tree, ADMIN, "u1", email="").email is None


# --------------------------------------------------------------------------- evidence


def test_evidence_is_stored_by_checksum_and_read_back(tree, settings):
    row = evidence.store_attachment(
        tree,
        settings,
        ADMIN,
        owner_kind="observation",
        owner_key="990101/pm25/2024",
        region_code="990101",
        filename="C:\\材料\\监测报告.pdf",
        data=PDF,
        note="年报第 3 页",
    )
    tree.commit()
    assert (row.filename, row.media_type, row.size) == ("监测报告.pdf", "application/pdf", len(PDF))
    assert row.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.blob_path(settings, row.sha256).read_bytes() == PDF
    again, data = evidence.read_attachment(tree, settings, ADMIN, row.id)
    assert (again.id, data) == (row.id, PDF)
    assert [a.id for a in evidence.list_attachments(tree, "observation", "990101/pm25/2024")] == [
        row.id
    ]
    docx = evidence.store_attachment(
        tree,
        settings,
        ADMIN,
        owner_kind="problem",
        owner_key="P1",
        region_code="990101",
        filename="整改报告.docx",
        data=_docx_bytes(),
    )
    assert docx.media_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("a.pdf", b"", "文件是空的"),
        ("a.pdf", b"MZ\x90\x00 not a pdf", "不是可接受的佐证材料类型"),
        ("a.exe", PDF, "扩展名为 .exe"),
        ("noext", PDF, "扩展名为 .（无）"),
        ("a.pdf", PDF + b"x" * (1024 * 1024), "超过上限 1 MB"),
        ("a.pdf", b"PK\x03\x04 broken zip", "不是可接受的佐证材料类型"),
        ("", PDF, "文件名"),
    ],
)
def test_bad_evidence_is_refused_saying_what_is_wrong(tree, settings, filename, data, expected):
    with pytest.raises(ValidationError) as refused:
        evidence.store_attachment(
            tree,
            settings,
            ADMIN,
            owner_kind="observation",
            owner_key="k",
            region_code="990101",
            filename=filename,
            data=data,
        )
    assert expected in refused.value.zh


def test_evidence_is_written_and_read_only_within_the_users_regions(tree, settings):
    editor_a = users.create_user(
        tree, ADMIN, name="ea", password=None, role="editor", region_code="990101"
    )
    viewer_b = users.create_user(
        tree, ADMIN, name="vb", password=None, role="viewer", region_code="990102"
    )
    viewer_city = users.create_user(
        tree, ADMIN, name="vc", password=None, role="viewer", region_code="9901"
    )
    with pytest.raises(Forbidden):
        evidence.store_attachment(
            tree,
            settings,
            editor_a,
            owner_kind="observation",
            owner_key="k",
            region_code="990102",
            filename="a.pdf",
            data=PDF,
        )
    row = evidence.store_attachment(
        tree,
        settings,
        editor_a,
        owner_kind="observation",
        owner_key="k",
        region_code="990101",
        filename="a.pdf",
        data=PDF,
    )
    with pytest.raises(Forbidden):
        evidence.read_attachment(tree, settings, viewer_b, row.id)
    assert evidence.read_attachment(tree, settings, viewer_city, row.id)[1] == PDF
    with pytest.raises(NotFound):
        evidence.read_attachment(tree, settings, ADMIN, row.id + 1000)


def test_a_file_changed_on_disk_is_not_served(tree, settings):
    row = evidence.store_attachment(
        tree,
        settings,
        ADMIN,
        owner_kind="observation",
        owner_key="k",
        region_code="990101",
        filename="a.pdf",
        data=PDF,
    )
    evidence.blob_path(settings, row.sha256).write_bytes(PDF + b"tampered")
    with pytest.raises(StorageFault) as refused:
        evidence.read_attachment(tree, settings, ADMIN, row.id)
    assert "校验和不符" in refused.value.zh


# --------------------------------------------------------------------------- notifications


def test_notifications_are_deduplicated_counted_and_marked_read(tree):
    users.create_user(tree, ADMIN, name="甲", password=None, role="viewer")
    made = notify.notify(
        tree, recipients=["甲", "甲"], kind="overdue", subject="任务逾期", body="…", dedupe_key="t1"
    )
    assert len(made) == 1
    assert (
        notify.notify(
            tree, recipients=["甲"], kind="overdue", subject="x", body="y", dedupe_key="t1"
        )
        == []
    )
    notify.notify(tree, recipients=["甲"], kind="handoff", subject="问题交办", body="请整改")
    assert notify.unread_count(tree, "甲") == 2
    assert notify.mark_read(tree, "甲", [made[0].id]) == 1
    assert notify.unread_count(tree, "甲") == 1
    assert notify.mark_read(tree, "甲") == 1
    assert notify.unread_count(tree, "甲") == 0


class _Inbox:
    """A local SMTP server (standard library socket server speaking enough SMTP to accept mail)."""

    def __init__(self) -> None:
        import socketserver

        self.messages: list[bytes] = []
        inbox = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.wfile.write(b"220 localhost ESMTP test\r\n")
                while line := self.rfile.readline():
                    command = line.strip().upper()
                    if command.startswith((b"EHLO", b"HELO")):
                        self.wfile.write(b"250 localhost\r\n")
                    elif command == b"DATA":
                        self.wfile.write(b"354 go ahead\r\n")
                        body = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            body += chunk
                        inbox.messages.append(body)
                        self.wfile.write(b"250 queued\r\n")
                    elif command == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_pending_notifications_are_emailed_once(tree, tmp_path):
    inbox = _Inbox()
    try:
        settings = load_settings(
            data_dir=tmp_path,
            smtp_host="127.0.0.1",
            smtp_port=inbox.port,
            smtp_sender="ecociv@bureau.test",
            public_url="http://127.0.0.1:8000",
        )
        users.create_user(
            tree, ADMIN, name="甲", password=None, role="viewer", email="jia@bureau.test"
        )
        users.create_user(tree, ADMIN, name="乙", password=None, role="viewer")
        notify.notify(
            tree,
            recipients=["甲", "乙"],
            kind="handoff",
            subject="问题交办：河道垃圾",
            body="请于 12 月 31 日前整改",
            link="/problems/7",
        )
        assert notify.send_pending_email(tree, settings) == 1
        assert notify.send_pending_email(tree, settings) == 0
    finally:
        inbox.close()
    message = message_from_bytes(inbox.messages[0], policy=default_policy)
    assert message["To"] == "jia@bureau.test"
    assert message["Subject"] == "问题交办：河道垃圾"
    body = message.get_body().get_content()
    assert "请于 12 月 31 日前整改" in body and "http://127.0.0.1:8000/problems/7" in body


def test_without_a_mail_server_nothing_is_sent(tree, tmp_path):
    users.create_user(tree, ADMIN, name="甲", password=None, role="viewer", email="jia@bureau.test")
    notify.notify(tree, recipients=["甲"], kind="k", subject="s", body="b")
    assert notify.send_pending_email(tree, load_settings(data_dir=tmp_path)) == 0


def test_a_refused_message_keeps_the_reason_and_is_retried(tree, tmp_path, monkeypatch):
    users.create_user(tree, ADMIN, name="甲", password=None, role="viewer", email="jia@bureau.test")
    [row] = notify.notify(tree, recipients=["甲"], kind="k", subject="s", body="b")

    class Refusing:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            raise smtplib.SMTPRecipientsRefused({"jia@bureau.test": (550, b"no such user")})

    monkeypatch.setattr(notify, "_connect", lambda settings: Refusing())
    settings = load_settings(data_dir=tmp_path, smtp_host="127.0.0.1")
    assert notify.send_pending_email(tree, settings) == 0
    assert row.emailed_at is None and "no such user" in row.email_error
