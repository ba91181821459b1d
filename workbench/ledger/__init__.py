"""Transaction workbooks: strict, fast ingestion of ERP exports into columnar tables."""
