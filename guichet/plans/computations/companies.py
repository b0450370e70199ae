# computations on companies, journeys, desk, diagnostics (helper A)
