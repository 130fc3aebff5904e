"""Monthly payroll (发放): one payment line per payable enrolment and month, bank files, locking, overpayment recovery."""
