"""The duty tagger on real paragraphs: what it must tag, what it must not, and the reviewed overrides."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import yaml

from wtkb.errors import SourceError
from wtkb.reference.duties import (
    check_overrides,
    duties_path,
    duty_backlinks,
    load_duties,
    load_overrides,
    overrides_path,
    pattern_tags,
    tags_for,
)


@pytest.fixture(scope="module")
def backlinks(corpus):
    return duty_backlinks(corpus.records)


def rec(corpus, rid):
    return corpus.by_id[rid]


def test_register_loads_with_unique_ids():
    duties = load_duties()
    assert len(duties) >= 40
    assert len({d.id for d in duties}) == len(duties)
    s17 = next(d for d in duties if d.id == "ca1989-s17")
    assert s17.short_name == "Children Act 1989 s 17"
    assert next(d for d in duties if d.id == "dpa2018").short_name == "Data Protection Act 2018"


@pytest.mark.parametrize("rid, duty", [
    ("cr2023-support-under-section-17-p1", "ca1989-s17"),  # "section 17 of the Children Act 1989"
    ("bondsolon2023-what-are-the-key-changes-p6", "ca1989-s17"),  # "s.17"
    ("bondsolon2023-what-are-the-key-changes-p7", "ca1989-s17"),  # "CIN cases"
    ("devon2023-help-and-support-p2", "ca1989-s17"),  # "Section 17 (Child In Need)"
    ("bondsolon2023-what-are-the-key-changes-p6", "ca1989-s47"),  # "s.47"
    ("devon2024-information-sharing-and-consent-p1", "dpa2018"),  # names the Act
    ("cr2023-prison-and-probation-services-government-response-p5", "dpa2018"),
    ("cr2023-prison-and-probation-services-government-response-p5", "uk-gdpr"),
    ("devon2024-common-myths-about-challenges-p4", "hra1998"),
    ("cr2023-equalities-impact-assessment-p1", "ea2010"),
    ("devon2024-what-is-the-status-p5", "lassa1970-s7"),
])
def test_patterns_tag_paragraphs_that_discuss_the_duty(corpus, rid, duty):
    assert duty in pattern_tags(rec(corpus, rid))
    assert duty in tags_for(rec(corpus, rid))


@pytest.mark.parametrize("rid", [
    "cr2023-ministerial-foreword-p1",
    "devon2024-so-what-now-p5",  # "reviewed annually by DofE": no duty
    "lscp2023-consultation-events-p1",
    "cr2023-views-of-children-p11",  # a child's words about being listened to
])
def test_ordinary_paragraphs_get_no_duty(corpus, rid):
    assert tags_for(rec(corpus, rid)) == []


@pytest.mark.parametrize("rid, duty", [
    # a name in the list of respondents is not a discussion of the provision
    ("cr2023-annex-a-list-p186", "ca2004-s16e"),  # "Thurrock Local Safeguarding Children Partnership"
    ("cr2023-annex-a-list-p202", "cda1998-s37-39"),  # "Youth Justice Board"
    ("cr2023-annex-a-list-p153", "cafa2014-part3"),  # "SEND Parent Action Group"
    # Table 1 lists respondent types, among them "Director of children's services"
    ("cr2023-profile-of-respondents-p5", "ca2004-s18-19"),
    # "domestic abuse worker" is a job title
    ("bondsolon2023-what-are-the-key-changes-p7", "daa2021"),
])
def test_reviewed_removals_beat_the_patterns(corpus, rid, duty):
    assert duty in pattern_tags(rec(corpus, rid)), "the pattern matches: that is why the removal exists"
    assert duty not in tags_for(rec(corpus, rid))


def test_no_organisation_in_annex_a_is_tagged(corpus):
    annex = [r for r in corpus.records if r.section and r.section[0].startswith("Annex A")]
    assert len(annex) > 100
    assert {r.id: tags_for(r) for r in annex if tags_for(r)} == {}


def test_another_acts_section_17_is_not_the_children_act(corpus):
    base = rec(corpus, "cr2023-support-under-section-17-p1")
    other = replace(base, id="x", text="Under section 17 of the Crime and Disorder Act 1998 councils consider crime.")
    same = replace(base, id="y", text="Support under section 17 of the Children Act 1989 is a local authority duty.")
    assert "ca1989-s17" not in pattern_tags(other)
    assert "ca1989-s17" in pattern_tags(same)


def test_acronym_patterns_are_case_sensitive(corpus):
    base = rec(corpus, "cr2023-ministerial-foreword-p1")
    assert "cafa2014-part3" in pattern_tags(replace(base, text="Children with SEND need support."))
    assert "cafa2014-part3" not in pattern_tags(replace(base, text="We will send the report."))


def test_section_17_page_lists_at_least_eight_paragraphs_from_003_and_004(backlinks, corpus):
    ids = backlinks["ca1989-s17"]
    docs = {corpus.by_id[i].document for i in ids}
    assert {"bondsolon2023", "cr2023"} <= docs
    in_003_004 = [i for i in ids if corpus.by_id[i].document in ("bondsolon2023", "cr2023")]
    assert len(in_003_004) >= 8
    for rid in ("cr2023-support-under-section-17-p1", "cr2023-support-under-section-17-p8",
                "cr2023-support-under-section-17-government-response-p1",
                "cr2023-support-under-section-17-p5",  # via the reviewed list: lead practitioners for s17 cases
                "bondsolon2023-what-are-the-key-changes-p6", "bondsolon2023-what-are-the-key-changes-p7"):
        assert rid in ids


def test_data_protection_page_lists_information_sharing_paragraphs(backlinks, corpus):
    ids = backlinks["dpa2018"]
    for rid in ("devon2024-information-sharing-and-consent-p1", "devon2024-information-sharing-and-consent-p4",
                "devon2024-common-myths-about-challenges-p1", "devon2024-common-myths-about-challenges-p2",
                "cr2023-information-sharing-p1", "cr2023-prison-and-probation-services-government-response-p5",
                "cr2023-family-networks-p9"):
        assert rid in ids
    assert {corpus.by_id[i].document for i in ids} == {"devon2024", "cr2023"}


def test_backlinks_are_in_document_order_and_cover_every_duty(backlinks, corpus):
    position = {r.id: i for i, r in enumerate(corpus.records)}
    assert set(backlinks) == {d.id for d in load_duties()}
    for ids in backlinks.values():
        assert ids == sorted(ids, key=position.__getitem__)
        assert len(ids) == len(set(ids))


def test_mention_is_derived_not_written(backlinks):
    # the register carries no "mentioned" flag: mention == backlinks
    raw = yaml.safe_load(duties_path().read_text(encoding="utf-8"))
    assert not any("mentioned" in entry for entry in raw)
    assert backlinks["ca1989-s44"] == []  # emergency protection orders: not discussed in these sources
    assert backlinks["ca1989-s17"]


def test_every_override_has_a_comment_and_valid_ids(corpus):
    check_overrides(corpus.records)
    ov = load_overrides()
    assert ov.add and ov.remove
    lines = overrides_path().read_text(encoding="utf-8").splitlines()
    entries = [ln for ln in lines if re.match(r"^\s+[a-z0-9-]+: \[", ln)]
    assert len(entries) == len(ov.add) + len(ov.remove)
    for ln in entries:
        assert "#" in ln.split("]", 1)[1], f"override without a comment: {ln.strip()}"
    for rid, ids in ov.remove.items():
        for d in ids:  # a removal must undo a real pattern match, or it is dead weight
            assert d in pattern_tags(corpus.by_id[rid]), f"{rid}: {d} is not matched by a pattern"
    for rid, ids in ov.add.items():
        for d in ids:
            assert d not in pattern_tags(corpus.by_id[rid]), f"{rid}: {d} is already matched by a pattern"


def test_override_naming_a_missing_record_fails(corpus):
    some = [r for r in corpus.records if r.id != "cr2023-annex-a-list-p186"]
    with pytest.raises(SourceError, match="cr2023-annex-a-list-p186"):
        check_overrides(some)
