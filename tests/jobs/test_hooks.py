"""jobs' hooks: the apps above jobs fill them in ready(), in the order a hire's effects need."""

from incentives.selectors import transition_preview
from incentives.services import transition_propose_after_hire
from jobs import hooks
from training.selectors import earned_certificates, seeker_certificates_prefetch
from training.services import placement_record_after_hire


def test_after_hire_runs_training_placement_before_the_transition_proposal():
    assert hooks.after_hire_receivers() == [placement_record_after_hire, transition_propose_after_hire]


def test_registering_again_changes_nothing():
    hooks.register_after_hire(transition_propose_after_hire, order=1)
    hooks.register_hire_preview(transition_preview)
    hooks.register_certificate_source(hooks.CertificateSource(earned=earned_certificates,
                                                              seeker_prefetch=seeker_certificates_prefetch))
    assert hooks.after_hire_receivers() == [placement_record_after_hire, transition_propose_after_hire]
    assert hooks._hire_previews == [transition_preview]
    assert len(hooks._certificate_sources) == 1
