"""Analysis: pure functions from plans + ledger + settings + as-of date to frozen facts."""
