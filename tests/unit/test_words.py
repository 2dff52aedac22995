"""Pure word helpers of the retriever."""

from __future__ import annotations

from wtkb.retrieve.retriever import _proper_nouns


def test_proper_nouns_are_the_words_always_capitalised_inside_sentences():
    words = _proper_nouns(["Partners in Devon and Cornwall Police agreed.", "Devon is large.",
                           "The Panel met; the panel agreed.", "Children in Devon."])
    # "Panel" is also written "panel"; the first word of a sentence is no evidence
    assert words == {"devon", "cornwall", "police"}
