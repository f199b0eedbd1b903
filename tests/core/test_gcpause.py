"""The shared collector pause as text extraction uses it: the collector comes back on, and
what the pause made is left young (not aged to the oldest generation as the exchange's is)."""

from __future__ import annotations

import gc
from pathlib import Path

from reviewer.core.gcpause import collector_paused
from reviewer.core.pdf import open_pdf


def test_pause_without_aging_re_enables_and_leaves_new_objects_young() -> None:
    gc.unfreeze()  # earlier tests in this process (the page view) may have frozen objects
    thresholds = gc.get_threshold()
    gc.set_threshold(10**7, 10, 10)  # no automatic collection moves anything meanwhile
    try:
        assert gc.isenabled()
        with collector_paused(age_new_objects=False):
            assert not gc.isenabled()
            made = [[i] for i in range(5000)]
        assert gc.isenabled()
        assert any(o is made for o in gc.get_objects(generation=0))
        with collector_paused():  # the default ages them, as the exchange's reading wants
            pass
        assert any(o is made for o in gc.get_objects(generation=2))
    finally:
        gc.set_threshold(*thresholds)


def test_pause_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        for age in (False, True):
            with collector_paused(age_new_objects=age):
                pass
            assert not gc.isenabled()
    finally:
        gc.enable()


def test_text_flow_turns_the_collector_back_on_and_keeps_a_programs_freeze(sample_pdf: Path) -> None:
    gc.freeze()  # as the page view does with its texts
    try:
        frozen = gc.get_freeze_count()
        pdf = open_pdf(sample_pdf)
        try:
            assert pdf.flow().text
        finally:
            pdf.close()
        assert gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
