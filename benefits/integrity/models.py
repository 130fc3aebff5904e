"""Integrity [R2][R3]: cadre-relative registrations (干部近亲属备案), tip-offs (举报), fraud cases, death reports."""
