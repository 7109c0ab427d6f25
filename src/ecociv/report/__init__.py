"""Reports bureaus hand in (评估报告): annual, mid-term and final evaluations, the demonstration
zone self-assessment, the indicator completion table and the state-of-environment report.

An edge package: :mod:`.gather` reads the store; :mod:`.build` turns what it read into a
:class:`.model.Report` (pure); :mod:`.docx`, :mod:`.xlsx` and :mod:`.pdf` write it;
:mod:`.narrative` keeps the editable sections beside the file.  The kinds, their sections and
tables are data (``data/kinds.yaml``, read by :mod:`.registry`).  See ``docs/reports.md``.
"""
