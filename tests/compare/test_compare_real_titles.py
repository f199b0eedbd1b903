"""compare on the wording of real treaties: the Budapest Convention on Cybercrime (2001) and the
United Nations Convention against Cybercrime (2024), their criminalization and procedural
articles abridged to their operative clause. The UN text renames "computer" to "information
and communications technology", splits and retitles offences, adds its own and drops
copyright; the true pairs are the ones a lawyer's concordance of the two gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.core.sample_treaty import Article, Chapter, P, Treaty, build_treaty_pdf

from .conftest import run_cli as run

M = "Each {p} shall adopt such legislative and other measures as may be necessary to establish as {o} under its domestic law, when committed intentionally, {x}."


def off(p: str, o: str, x: str):  # type: ignore[no-untyped-def]
    return P(M.format(p=p, o=o, x=x))


bud = [
    ("Illegal access", "the access to the whole or any part of a computer system without right"),
    (
        "Illegal interception",
        "the interception without right, made by technical means, of non-public transmissions of computer data to, from or within a computer system",
    ),
    (
        "Data interference",
        "the damaging, deletion, deterioration, alteration or suppression of computer data without right",
    ),
    (
        "System interference",
        "the serious hindering without right of the functioning of a computer system by inputting, transmitting, damaging, deleting, deteriorating, altering or suppressing computer data",
    ),
    (
        "Misuse of devices",
        "the production, sale, procurement for use, import, distribution or otherwise making available of a device designed or adapted primarily for the purpose of committing any of the offences",
    ),
    (
        "Computer-related forgery",
        "the input, alteration, deletion, or suppression of computer data, resulting in inauthentic data with the intent that it be considered or acted upon for legal purposes as if it were authentic",
    ),
    (
        "Computer-related fraud",
        "the causing of a loss of property to another person by any input, alteration, deletion or suppression of computer data or any interference with the functioning of a computer system",
    ),
    (
        "Offences related to child pornography",
        "producing child pornography for the purpose of its distribution through a computer system",
    ),
    (
        "Offences related to infringements of copyright and related rights",
        "the infringement of copyright where such acts are committed wilfully, on a commercial scale and by means of a computer system",
    ),
    (
        "Attempt and aiding or abetting",
        "aiding or abetting the commission of any of the offences established in accordance with this Convention",
    ),
    (
        "Corporate liability",
        "legal persons can be held liable for a criminal offence committed for their benefit by any natural person acting either individually or as part of an organ of the legal person",
    ),
    (
        "Conditions and safeguards",
        "the establishment, implementation and application of the powers and procedures are subject to conditions and safeguards which shall provide for the adequate protection of human rights and liberties, including judicial or other independent supervision",
    ),
    (
        "Expedited preservation of stored computer data",
        "its competent authorities to order or similarly obtain the expeditious preservation of specified computer data, including traffic data",
    ),
    (
        "Production order",
        "its competent authorities to order a person in its territory to submit specified computer data in that person's possession or control",
    ),
    (
        "Search and seizure of stored computer data",
        "its competent authorities to search or similarly access a computer system or part of it and computer data stored therein",
    ),
    (
        "Real-time collection of traffic data",
        "its competent authorities to collect or record through the application of technical means traffic data, in real-time, associated with specified communications",
    ),
    (
        "Interception of content data",
        "its competent authorities to collect or record through the application of technical means content data, in real-time, of specified communications",
    ),
]
un = [
    (
        "Illegal access",
        "the access to the whole or any part of an information and communications technology system without right",
    ),
    (
        "Illegal interception",
        "the interception, made by technical means, without right, of any non-public transmissions of electronic data to, from or within an information and communications technology system",
    ),
    (
        "Interference with electronic data",
        "the damaging, deletion, deterioration, alteration or suppression of electronic data without right",
    ),
    (
        "Interference with an information and communications technology system",
        "the serious hindering without right of the functioning of an information and communications technology system by inputting, transmitting, damaging, deleting, deteriorating, altering or suppressing electronic data",
    ),
    (
        "Misuse of devices",
        "the obtaining, production, sale, procurement for use, import, distribution or otherwise making available of a device designed or adapted primarily for the purpose of committing any of the offences",
    ),
    (
        "Information and communications technology system-related forgery",
        "the input, alteration, deletion or suppression of electronic data resulting in inauthentic data with the intent that it be considered or acted upon for legal purposes as if it were authentic",
    ),
    (
        "Information and communications technology system-related theft or fraud",
        "causing a loss of property to another person by any input, alteration, deletion or suppression of electronic data or any interference with the functioning of an information and communications technology system",
    ),
    (
        "Offences related to online child sexual abuse or child sexual exploitation material",
        "producing, offering, selling, distributing, transmitting child sexual abuse or child sexual exploitation material through an information and communications technology system",
    ),
    (
        "Solicitation or grooming for the purpose of committing a sexual offence against a child",
        "the act of an adult intentionally communicating, soliciting, grooming or making any arrangement through an information and communications technology system for the purpose of committing a sexual offence against a child",
    ),
    (
        "Non-consensual dissemination of intimate images",
        "the selling, distributing, transmitting, publishing or otherwise making available of an intimate image of a person by means of an information and communications technology system without the consent of the person depicted",
    ),
    (
        "Laundering of proceeds of crime",
        "the conversion or transfer of property, knowing that such property is the proceeds of crime",
    ),
    (
        "Liability of legal persons",
        "legal persons can be held liable for participation in the offences established in accordance with this Convention",
    ),
    (
        "Participation and attempt",
        "the participation in any capacity, such as that of an accomplice, assistant or instigator, in an offence established in accordance with this Convention",
    ),
    (
        "Scope of procedural measures",
        "the powers and procedures provided for in this chapter for the purpose of specific criminal investigations or proceedings",
    ),
    (
        "Conditions and safeguards",
        "the establishment, implementation and application of the powers and procedures provided for in this chapter are subject to conditions and safeguards provided for under its domestic law, which shall provide for the protection of human rights",
    ),
    (
        "Expedited preservation of stored electronic data",
        "its competent authorities to order or similarly obtain the expeditious preservation of specified electronic data, including traffic data, content data and subscriber information",
    ),
    (
        "Production order",
        "its competent authorities to order a person in its territory to submit specified electronic data in that person's possession or control",
    ),
    (
        "Search and seizure of stored or processed electronic data",
        "its competent authorities to search or similarly access an information and communications technology system or part of it and electronic data stored therein",
    ),
    (
        "Real-time collection of traffic data",
        "its competent authorities to collect or record through the application of technical means traffic data, in real time, associated with specified communications",
    ),
    (
        "Interception of content data",
        "its competent authorities to collect or record through the application of technical means content data, in real time, of specified communications",
    ),
]


def treaty(title: str, arts: list[tuple[str, str]], party: str) -> Treaty:
    sub = [Article(t, (off(party, "criminal offences", x),)) for t, x in arts]
    return Treaty(title, title, ("The Parties hereto,",), (Chapter("Measures", tuple(sub)),), version_note="")


# (Budapest article, UN article), numbered as in these abridged texts: Budapest Art. 2-21 are
# Art. 1-17 here, UN Art. 7-30 are Art. 1-20.
TRUE_PAIRS = {
    ("Art. 1", "Art. 1"), ("Art. 2", "Art. 2"), ("Art. 3", "Art. 3"), ("Art. 4", "Art. 4"),
    ("Art. 5", "Art. 5"), ("Art. 6", "Art. 6"), ("Art. 7", "Art. 7"), ("Art. 8", "Art. 8"),
    ("Art. 10", "Art. 13"), ("Art. 11", "Art. 12"), ("Art. 12", "Art. 15"), ("Art. 13", "Art. 16"),
    ("Art. 14", "Art. 17"), ("Art. 15", "Art. 18"), ("Art. 16", "Art. 19"), ("Art. 17", "Art. 20"),
}  # fmt: skip


@pytest.fixture(scope="module")
def real_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("real")
    budapest, un_text = folder / "budapest.pdf", folder / "un.pdf"
    build_treaty_pdf(treaty("Convention on Cybercrime", bud, "Party"), budapest)
    build_treaty_pdf(
        treaty("United Nations Convention against Cybercrime", un, "State Party"), un_text, paper="letter"
    )
    return budapest, un_text


def test_compare_finds_the_concordance_of_budapest_and_the_un_convention(capsys, real_pair) -> None:  # type: ignore[no-untyped-def]
    budapest, un_text = real_pair
    code, out, err = run(capsys, "compare", str(budapest), str(un_text), "--json")
    assert code == 0, err
    found = json.loads(out)
    pairs = {(p["a"], p["b"]) for p in found["pairs"]}
    right = pairs & TRUE_PAIRS
    assert len(right) / len(TRUE_PAIRS) >= 0.9, sorted(TRUE_PAIRS - pairs)
    assert len(right) / len(pairs) >= 0.9, sorted(pairs - TRUE_PAIRS)
    assert "Art. 9" in found["only_in_a"]  # copyright has no counterpart in the UN text
