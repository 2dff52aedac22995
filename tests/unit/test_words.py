"""Pure word helpers of the retriever."""

from __future__ import annotations

import pytest

from wtkb.retrieve.retriever import _proper_nouns
from wtkb.text import spelled_out


def test_proper_nouns_are_the_words_always_capitalised_inside_sentences():
    words = _proper_nouns(["Partners in Devon and Cornwall Police agreed.", "Devon is large.",
                           "The Panel met; the panel agreed.", "Children in Devon."])
    # "Panel" is also written "panel"; the first word of a sentence is no evidence
    assert words == {"devon", "cornwall", "police"}


@pytest.mark.parametrize("acronym, text, spelled", [
    ("ADCS", "Association of Directors of Children's Services (ADCS)",
     "Association of Directors of Children's Services (ADCS)"),
    ("adcs", "Association of Directors of Children's Services (ADCS)",  # typed in lower case
     "Association of Directors of Children's Services (ADCS)"),
    ("ipsea", "IPSEA (Independent Provider of Special Education Advice)",  # the expansion after it
     "IPSEA (Independent Provider of Special Education Advice)"),
    ("MATs", "the engagement of multi academy trusts (MATs), as either", "multi academy trusts (MATs)"),
    ("JTAI", "Joint Targeted Area Inspections (JTAIs) are", "Joint Targeted Area Inspections (JTAIs)"),
    ("NSPCC", "local government, the NHS, police, NSPCC, Barnardo's", None),  # named, not spelled out
    ("MAT", "the trust (MAT)", None),  # the words before the bracket do not spell it
])
def test_an_acronym_is_spelled_out_only_where_the_initials_spell_it(acronym, text, spelled):
    span = spelled_out(acronym, text)
    assert (text[span[0]:span[1]] if span else None) == spelled
