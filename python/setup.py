# The Python package chaosstat: functions over the chaosstat command's JSON.
# The metadata is in setup.cfg. A setup.py without pyproject.toml lets pip
# build with the setuptools it finds (Debian's python3-setuptools) instead of
# downloading one, so `pip install ./python` works without a network.
from setuptools import setup

setup()
