"""GEP accounting (生态产品总值核算): accounts, method sets and prices as data; the computation.

Load a method set (:func:`ecociv.gep.catalog.load_method_set`) and a price set
(:func:`ecociv.gep.prices.load_price_set`), read the inputs
(:func:`ecociv.gep.workbook.read_inputs`, or build :class:`ecociv.gep.inputs.AccountingInputs`),
then :func:`ecociv.gep.compute.compute`.  See ``docs/gep.md``.
"""
