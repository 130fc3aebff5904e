"""Job seekers, employers, vacancies, matching (encoder, index, ranking), referrals and outcomes."""
