"""Fast tests of the reader pages: "Your role", local procedures, the glossary A-Z, the content-date line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from wtkb.book.pages import glossary_page
from wtkb.book.reader_pages import EMPTY_LOCAL, local_page, role_pages, topic_duties
from wtkb.errors import SourceError
from wtkb.reference.duties import load_duties
from wtkb.reference.local import LocalInfo, load_local
from wtkb.reference.roles import load_roles, role_duties
from wtkb.settings import Settings
from wtkb.sphinx.pageinfo import date_line, human_date, page_info

ROOT = Path(__file__).resolve().parents[2]


def _role(rid: str):
    roles = load_roles()
    role = next(r for r in roles.roles if r.id == rid)
    own, shared = role_duties(role, roles)
    return {d.id for d in own}, {d.id for d in shared}


def test_every_role_is_bound_by_some_duty_and_the_five_sectors_are_there():
    roles = load_roles()
    assert {r.id for r in roles.roles} == {"education", "health", "police", "social-care", "voluntary"}
    for role in roles.roles:
        own, shared = role_duties(role, roles)
        assert own or shared, role.id


def test_role_duties_follow_who_each_duty_binds():
    school, school_shared = _role("education")
    assert {"ea2002-s175", "ea2002-s157", "childcare2006-s40"} <= school
    assert "ca2004-s11" not in school  # s11 lists NHS bodies, police, probation ... but not schools
    police, _ = _role("police")
    assert {"ca2004-s11", "ca1989-s46", "ca2004-s16e"} <= police
    assert "ea2002-s175" not in police
    health, _ = _role("health")
    assert {"ca2004-s11", "ca2004-s16m-16q"} <= health
    social, _ = _role("social-care")
    assert {"ca1989-s17", "ca1989-s47"} <= social
    # a duty that binds every organisation is listed once, under "every organisation"
    assert "uk-gdpr" in school_shared and "uk-gdpr" not in school
    # every duty the register has reaches at least one role or everyone, except the ones for courts or ministers
    reached = set().union(*(_role(r.id)[0] | _role(r.id)[1] for r in load_roles().roles))
    unreached = {d.id for d in load_duties()} - reached
    assert all(any(w in d.binds for w in ("Court", "court", "Secretary of State", "No longer"))
               for d in load_duties() if d.id in unreached), unreached


def test_role_pages_link_the_topics_that_refer_to_their_duties():
    pages = role_pages(ROOT / "book")
    topics = topic_duties(ROOT / "book")
    assert "ca1989-s17" in topics["01-lead-practitioner"][1]
    social = pages["generated/roles/4-social-care"]
    assert "{doc}`/topics/01-lead-practitioner`" in social  # it refers to {duty}`ca1989-s17`
    education = pages["generated/roles/1-education"]
    assert "{doc}`/topics/03-education-and-vcse`" in education
    assert "{duty}`ea2002-s175`" in education and "{doc}`/generated/local`" in education
    listing = pages["generated/your-role"]
    assert listing.count("{doc}`I work in") == 5


def test_local_page_is_empty_by_default_and_says_who_to_ask(tmp_path):
    page = local_page(Settings(root=ROOT))
    assert EMPTY_LOCAL in page and "your local safeguarding partnership's procedures" in page
    assert "999" in page


def test_local_page_shows_an_operators_details(tmp_path):
    path = tmp_path / "local.yaml"
    path.write_text("""
partnership: Anytown Safeguarding Children Partnership
procedures: {title: Anytown procedures, url: "https://example.org/procedures"}
updated: March 2026
contacts:
  - name: Children's Front Door (MASH)
    for: "Worried about a child? Make a referral"
    phone: "01234 567890"
    email: frontdoor@example.org
    hours: Monday to Friday, 9am to 5pm
""", encoding="utf-8")
    info = load_local(Settings(root=ROOT, local_file=path))
    assert not info.empty
    page = local_page(Settings(root=ROOT), info)
    assert "**Anytown Safeguarding Children Partnership**" in page and "apply in that area only" in page
    assert "[Anytown procedures](<https://example.org/procedures>)" in page
    assert "### Children's Front Door (MASH)" in page and "01234 567890" in page
    assert "(<mailto:frontdoor@example.org>)" in page and "March 2026" in page


def test_local_file_errors_say_what_to_do(tmp_path):
    with pytest.raises(SourceError, match="does not exist") as err:
        load_local(Settings(root=ROOT, local_file=tmp_path / "nope.yaml"))
    assert "WTKB_LOCAL_FILE" in err.value.fix
    bad = tmp_path / "local.yaml"
    bad.write_text("procedures: {title: x, url: 'javascript:alert(1)'}\n", encoding="utf-8")
    with pytest.raises(SourceError, match="https://"):
        load_local(Settings(root=ROOT, local_file=bad))
    assert LocalInfo().empty


def test_feedback_url_must_be_a_link():
    assert Settings(root=ROOT, feedback_url="mailto:team@example.org").feedback_url == "mailto:team@example.org"
    with pytest.raises(ValidationError, match="https://"):
        Settings(root=ROOT, feedback_url="javascript:alert(1)")


def test_glossary_has_an_a_to_z_and_every_term_under_its_letter():
    from wtkb.reference.glossary import load_glossary

    page = glossary_page()
    assert '<nav class="wtkb-az' in page
    for e in load_glossary():
        letter = e.term[0].upper()
        section = page.split(f"(glossary-{letter.lower()})=", 1)[1].split("(glossary-", 1)[0]
        assert f"\n{e.term}\n" in section, e.term
        assert f'href="#glossary-{letter.lower()}"' in page
    assert 'class="wtkb-az-none"' in page  # letters with no terms are shown unlinked


def test_content_date_line():
    assert human_date("2023-06-29") == "29 June 2023"
    assert human_date("2023-12") == "December 2023"
    assert human_date("2024") == "2024"
    line = date_line(["2023-12", "2023", "2023-06-29", "2024"], "2026-12-03", "March 2026")
    assert line == ("Content date: sources dated 29 June 2023 to 2024; content reviewed March 2026; "
                    "handbook built 3 December 2026.")
    assert page_info(dt.date(2026, 1, 2))["built"] == "2026-01-02"
