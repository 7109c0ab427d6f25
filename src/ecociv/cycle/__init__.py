"""The yearly reporting cycle (年度填报): data ownership, reporting periods, the approval of
each department's report (填报 → 审核 → 审批 → 锁定, with 退回 and 解锁), completeness and
timeliness, reminders, and the manual inputs a verdict may need (上级下达目标, 人工判定).

Tables: :mod:`ecociv.store.tables.cycle`; workflow: ``workflow/definitions/data_approval.yaml``;
documented in ``docs/reporting-cycle.md``.
"""
