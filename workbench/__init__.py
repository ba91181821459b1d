"""KAM Workbench: key-account plans as validated YAML, merged with ERP ledgers."""

__version__ = "0.1.0"
