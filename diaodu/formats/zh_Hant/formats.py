# Amounts in 万元 are read like ledgers: grouped in thousands with a comma.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
