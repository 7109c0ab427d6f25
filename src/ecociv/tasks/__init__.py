"""A plan's key tasks decomposed to departments (任务分解), work plans, progress, 责任清单."""
