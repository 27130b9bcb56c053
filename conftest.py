# The shared personas, clock and helpers live in diaodu/test.py; the browser journeys'
# Chromium and helpers in diaodu/browsing.py.
pytest_plugins = ["diaodu.test", "diaodu.browsing"]
