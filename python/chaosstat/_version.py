# The package's version. From a checkout it is a development version, and the
# command built from the same checkout says "chaosstat devel": the two match.
# A release sets it to the tag's version (tag v1.2.3: "1.2.3"), and the
# package then warns when the chaosstat command it runs is another release.
__version__ = "0.0.0.dev0"
