"""leadsim: a discrete-event simulator of NHS executive leadership pipelines in England."""

__version__ = "0.1.0"
