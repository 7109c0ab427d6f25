"""Judge values against requirements: verdicts, direction, progress, projection, audit.

Entry points (``docs/verdicts.md``):

* :func:`ecociv.assess.verdict.evaluate` — ``evaluate(requirement, value, context) -> Verdict``;
  :func:`ecociv.assess.verdict.compile_requirement` for bulk use;
* :class:`ecociv.assess.context.Context` — region classes, year, series, quota, references;
* :func:`ecociv.assess.standard_check.judge_standard` — against a standard indicator code;
* :func:`ecociv.assess.progress.project` — progress and time-weighted projection;
* :func:`ecociv.assess.direction.infer_direction` — the better side of an indicator;
* :func:`ecociv.assess.audit.audit_plan` — recompute a plan's own verdicts.
"""
