"""(stub)"""

RULES = ()
