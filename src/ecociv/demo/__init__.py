"""The bundled sample: the fictional city 青岚市, its three districts, a plan and yearly values.

Everything here is written by the ecociv project (no real plan text): ``data/qinglan_plan.txt``
is a plan in the shape of the real ones stored as Apache Tika text, read through
``ecociv.ingest.api.load_plan`` like any user's file; ``data/qinglan_values.csv`` holds
2020–2024 values per region, except the districts' 2024 air values, which the monitoring code
computes from synthetic hourly station data (:mod:`ecociv.demo.air`);
``data/qinglan_regions.yaml`` holds the region tree.
"""
