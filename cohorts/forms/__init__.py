"""Forms for cohorts, one module per audience."""
