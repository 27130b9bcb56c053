# The shared personas, clock and helpers live in diaodu/test.py.
pytest_plugins = ["diaodu.test"]
