"""The pages of the state-aid ledger: a company's ledger (positions at a date, every line,
declaring an aid received elsewhere, cancelling a line), single undertakings, the yearly
export for the national register."""
