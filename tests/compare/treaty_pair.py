"""Two different treaties on one subject, written for these tests, with every true pair known.

Treaty A is drafted like a regional convention of 2001 ("Article 15 – Conditions and
safeguards" on one row, chapters and sections, sans-serif, Letter paper). Treaty B is drafted
like a UN convention of 2024 ("ARTICLE 24" centred, its title on the row below, serif, A4,
ligatures) by other hands: it renumbers everything (new articles up front), reorders (the
jurisdiction article moves before the procedural powers, sanctions before liability),
retitles, rewrites every sentence, splits A's preservation article in two, merges A's
forgery and fraud into one, drops A's copyright and spontaneous-information articles, and adds
articles of its own. ``TRUE_PAIRS`` comes from the article ids below, not from the code under
test.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from pathlib import Path

import pymupdf


@dataclass(frozen=True)
class Art:
    aid: str  # which of A's articles it stands for ("a16"), or a new one of B ("b-purpose")
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Treaty:
    title: str
    chapters: tuple[tuple[str, tuple[Art, ...]], ...]

    def numbered(self) -> list[tuple[int, Art]]:
        arts = [a for _, chapter in self.chapters for a in chapter]
        return list(enumerate(arts, start=1))


def _a(aid: str, title: str, *paragraphs: str) -> Art:
    return Art(aid, title, paragraphs)


A = Treaty(
    "Convention on Offences against Computer Systems",
    (
        (
            "Use of terms",
            (
                _a(
                    "a-terms",
                    "Definitions",
                    "For the purposes of this Convention, computer system means any device or group of "
                    "interconnected devices which performs automatic processing of data pursuant to a program.",
                    "Traffic data means any computer data relating to a communication by means of a computer "
                    "system, indicating its origin, destination, route, time, date, size and duration.",
                ),
            ),
        ),
        (
            "Substantive criminal law",
            (
                _a(
                    "a-access",
                    "Illegal access",
                    "Each Party shall adopt such legislative measures as may be necessary to establish as "
                    "criminal offences under its domestic law the access to the whole or any part of a "
                    "computer system without right, by infringing security measures.",
                ),
                _a(
                    "a-interception",
                    "Illegal interception",
                    "Each Party shall criminalise the interception without right, made by technical means, of "
                    "non-public transmissions of computer data to, from or within a computer system, "
                    "including electromagnetic emissions carrying such data.",
                ),
                _a(
                    "a-data",
                    "Data interference",
                    "Each Party shall establish as a criminal offence the damaging, deletion, deterioration, "
                    "alteration or suppression of computer data without right.",
                    "A Party may reserve the right to require that the conduct result in serious harm.",
                ),
                _a(
                    "a-system",
                    "System interference",
                    "Each Party shall criminalise the serious hindering without right of the functioning of a "
                    "computer system by inputting, transmitting, damaging, deleting or suppressing data.",
                ),
                _a(
                    "a-devices",
                    "Misuse of devices",
                    "Each Party shall criminalise the production, sale, procurement for use, import or "
                    "distribution of a device, including a program, designed primarily for committing "
                    "any of the offences established in this Chapter, or of a password or access code.",
                ),
                _a(
                    "a-forgery",
                    "Computer-related forgery",
                    "Each Party shall criminalise the input, alteration or deletion of computer data resulting "
                    "in inauthentic data with the intent that it be considered or acted upon for legal "
                    "purposes as if it were authentic, regardless of whether the data is readable.",
                ),
                _a(
                    "a-fraud",
                    "Computer-related fraud",
                    "Each Party shall criminalise the causing of a loss of property to another person by any "
                    "interference with the functioning of a computer system, with fraudulent or dishonest "
                    "intent of procuring an economic benefit for oneself or for another person.",
                ),
                _a(
                    "a-child",
                    "Offences related to child sexual abuse material",
                    "Each Party shall criminalise producing, offering, distributing, procuring or possessing "
                    "child sexual abuse material through a computer system.",
                    "The term minor shall include all persons under eighteen years of age.",
                ),
                _a(
                    "a-copyright",
                    "Offences related to infringements of copyright",
                    "Each Party shall criminalise the wilful infringement of copyright and related rights, "
                    "as defined under its law pursuant to its obligations under the Berne Convention and "
                    "the WIPO Copyright Treaty, committed on a commercial scale.",
                ),
                _a(
                    "a-attempt",
                    "Attempt and aiding or abetting",
                    "Each Party shall criminalise intentionally aiding or abetting the commission of any of "
                    "the offences established in accordance with this Convention, and the attempt to commit "
                    "them.",
                ),
                _a(
                    "a-corporate",
                    "Corporate liability",
                    "Each Party shall ensure that legal persons can be held liable for an offence committed "
                    "for their benefit by any natural person who has a leading position within the legal "
                    "person, based on a power of representation or an authority to take decisions.",
                ),
                _a(
                    "a-sanctions",
                    "Sanctions and measures",
                    "Each Party shall ensure that the offences are punishable by effective, proportionate and "
                    "dissuasive sanctions, which include deprivation of liberty.",
                    "Legal persons shall be subject to effective, proportionate and dissuasive criminal or "
                    "non-criminal sanctions, including monetary sanctions.",
                ),
            ),
        ),
        (
            "Procedural law",
            (
                _a(
                    "a-scope",
                    "Scope of procedural provisions",
                    "Each Party shall establish the powers and procedures provided for in this Section for "
                    "the purpose of specific criminal investigations or proceedings.",
                    "The powers apply to the collection of evidence in electronic form of a criminal offence.",
                ),
                _a(
                    "a-safeguards",
                    "Conditions and safeguards",
                    "Each Party shall ensure that the establishment, implementation and application of the "
                    "powers and procedures are subject to conditions and safeguards which provide for the "
                    "adequate protection of human rights and liberties, and which incorporate the principle "
                    "of proportionality.",
                    "Such conditions and safeguards shall include judicial or other independent supervision, "
                    "grounds justifying application, and limitation of the scope and the duration of the "
                    "power or procedure.",
                ),
                _a(
                    "a-preservation",
                    "Expedited preservation of stored computer data and partial disclosure",
                    "Each Party shall enable its competent authorities to order the expeditious preservation "
                    "of specified computer data, including traffic data, stored by means of a computer "
                    "system, where there are grounds to believe that the data is vulnerable to loss.",
                    "The order shall oblige the custodian to preserve and maintain the integrity of that "
                    "computer data for a period of up to ninety days, which may be renewed.",
                    "Each Party shall ensure the expeditious disclosure to the competent authority of a "
                    "sufficient amount of traffic data to identify the service providers and the path "
                    "through which the communication was transmitted, regardless of whether one or more "
                    "service providers were involved in the transmission.",
                ),
                _a(
                    "a-production",
                    "Production order",
                    "Each Party shall empower its competent authorities to order a person in its territory to "
                    "submit specified computer data in that person's possession or control, and a service "
                    "provider to submit subscriber information relating to its services.",
                ),
                _a(
                    "a-search",
                    "Search and seizure of stored computer data",
                    "Each Party shall empower its competent authorities to search or similarly access a "
                    "computer system and a computer-data storage medium in its territory, and to seize or "
                    "similarly secure computer data accessed, including by making and retaining a copy.",
                ),
                _a(
                    "a-realtime",
                    "Real-time collection of traffic data",
                    "Each Party shall empower its competent authorities to collect or record through the "
                    "application of technical means, in real time, traffic data associated with specified "
                    "communications transmitted by means of a computer system, and to compel a service "
                    "provider to co-operate in that collection.",
                ),
                _a(
                    "a-content",
                    "Interception of content data",
                    "Each Party shall, in relation to a range of serious offences, empower its competent "
                    "authorities to intercept and record, in real time, the content of specified "
                    "communications, and to oblige a service provider to keep confidential the fact of "
                    "the interception.",
                ),
                _a(
                    "a-jurisdiction",
                    "Jurisdiction",
                    "Each Party shall establish jurisdiction over any offence when the offence is committed "
                    "in its territory, on board a ship flying its flag, on board an aircraft registered under "
                    "its laws, or by one of its nationals.",
                ),
            ),
        ),
        (
            "International co-operation",
            (
                _a(
                    "a-cooperation",
                    "General principles relating to international co-operation",
                    "The Parties shall co-operate with each other to the widest extent possible for the "
                    "purposes of investigations or proceedings concerning criminal offences related to "
                    "computer systems and data, or for the collection of evidence in electronic form.",
                ),
                _a(
                    "a-extradition",
                    "Extradition",
                    "The offences established in accordance with this Convention shall be deemed to be "
                    "included as extraditable offences in any extradition treaty existing between the "
                    "Parties, provided they are punishable by deprivation of liberty for at least one year.",
                ),
                _a(
                    "a-spontaneous",
                    "Spontaneous information",
                    "A Party may, within the limits of its domestic law and without prior request, forward "
                    "to another Party information obtained within the framework of its own investigations "
                    "when it considers that the disclosure might assist the receiving Party.",
                ),
                _a(
                    "a-network",
                    "24/7 Network",
                    "Each Party shall designate a point of contact available on a twenty-four hour, "
                    "seven-day-a-week basis, in order to ensure the provision of immediate assistance, "
                    "including technical advice, the preservation of data and the location of suspects.",
                ),
            ),
        ),
        (
            "Final clauses",
            (
                _a(
                    "a-signature",
                    "Signature and entry into force",
                    "This Convention shall be open for signature by the member States. It shall enter into "
                    "force on the first day of the month following the expiration of three months after five "
                    "States have expressed their consent to be bound.",
                ),
                _a(
                    "a-reservations",
                    "Reservations",
                    "By a written notification addressed to the Depositary, any State may declare that it "
                    "avails itself of the reservations provided for in this Convention. No other reservation "
                    "may be made.",
                ),
                _a(
                    "a-denunciation",
                    "Denunciation",
                    "Any Party may, at any time, denounce this Convention by means of a notification "
                    "addressed to the Depositary. Such denunciation shall become effective on the first day "
                    "of the month following the expiration of three months after receipt of the notification.",
                ),
            ),
        ),
    ),
)


B = Treaty(
    "United Nations Convention against Information System Crime",
    (
        (
            "General provisions",
            (
                _a(
                    "b-purpose",
                    "Statement of purpose",
                    "The purposes of this Convention are to promote and strengthen measures to prevent and "
                    "combat crime more efficiently and effectively, and to promote technical assistance and "
                    "capacity-building, in particular for the benefit of developing countries.",
                ),
                _a(
                    "a-terms",
                    "Use of terms",
                    "For the purposes of this Convention, information and communications technology system "
                    "shall mean any device or group of interconnected devices, one or more of which, "
                    "pursuant to a program, performs automatic processing of electronic data.",
                    "Traffic data shall mean any electronic data relating to a communication by means of an "
                    "information system that indicates the origin, destination, route, time, date, size or "
                    "duration of the communication.",
                ),
                _a(
                    "b-sovereignty",
                    "Protection of sovereignty",
                    "States Parties shall carry out their obligations in a manner consistent with the "
                    "principles of sovereign equality and territorial integrity of States and of "
                    "non-intervention in the domestic affairs of other States.",
                ),
            ),
        ),
        (
            "Criminalization",
            (
                _a(
                    "a-access",
                    "Unauthorized access to an information system",
                    "Each State Party shall adopt such legislative and other measures as may be necessary to "
                    "establish as a criminal offence, when committed intentionally, the access to the whole "
                    "or any part of an information system without right, including by infringing security "
                    "measures.",
                ),
                _a(
                    "a-interception",
                    "Illegal interception",
                    "Each State Party shall make it a criminal offence to intercept, by technical means, "
                    "without right, non-public transmissions of electronic data to, from or within an "
                    "information system, including electromagnetic emissions from a system carrying such "
                    "electronic data.",
                ),
                _a(
                    "a-system",
                    "Interference with an information system",
                    "Each State Party shall make it a criminal offence to seriously hinder, without right, "
                    "the functioning of an information system by inputting, transmitting, damaging, deleting, "
                    "deteriorating, altering or suppressing electronic data.",
                ),
                _a(
                    "a-data",
                    "Interference with electronic data",
                    "Each State Party shall make it a criminal offence to damage, delete, deteriorate, alter "
                    "or suppress electronic data without right. A State Party may require that the conduct "
                    "result in serious harm.",
                ),
                _a(
                    "a-devices",
                    "Misuse of devices",
                    "Each State Party shall make it a criminal offence to obtain, produce, sell, procure for "
                    "use, import or distribute a device, including a program, designed or adapted primarily "
                    "for the purpose of committing an offence under this Convention, or a password, access "
                    "credential or similar data.",
                ),
                _a(
                    "a-forgery a-fraud",
                    "Information system-related forgery and fraud",
                    "Each State Party shall make it a criminal offence to input, alter, delete or suppress "
                    "electronic data resulting in inauthentic data with the intent that it be considered or "
                    "acted upon for legal purposes as if it were authentic.",
                    "Each State Party shall also make it a criminal offence to cause a loss of property to "
                    "another person by any interference with the functioning of an information system, with "
                    "fraudulent or dishonest intent of procuring an economic benefit without right.",
                ),
                _a(
                    "a-child",
                    "Offences related to online child sexual abuse or child sexual exploitation material",
                    "Each State Party shall make it a criminal offence to produce, offer, sell, distribute, "
                    "transmit, procure or possess child sexual abuse or child sexual exploitation material "
                    "through an information system. The term child shall mean any person under eighteen "
                    "years of age.",
                ),
                _a(
                    "b-laundering",
                    "Laundering of proceeds of crime",
                    "Each State Party shall adopt measures to establish as a criminal offence the conversion "
                    "or transfer of property, knowing that such property is the proceeds of crime, for the "
                    "purpose of concealing or disguising the illicit origin of the property.",
                ),
                _a(
                    "a-attempt",
                    "Participation and attempt",
                    "Each State Party shall make it a criminal offence to participate in any capacity, such "
                    "as an accomplice, assistant or instigator, in an offence established in accordance with "
                    "this Convention, and may criminalize any attempt to commit such an offence.",
                ),
                _a(
                    "a-sanctions",
                    "Prosecution, adjudication and sanctions",
                    "Each State Party shall make the commission of an offence established in accordance with "
                    "this Convention liable to effective, proportionate and dissuasive sanctions that take "
                    "into account the gravity of that offence, including deprivation of liberty.",
                ),
                _a(
                    "a-corporate",
                    "Liability of legal persons",
                    "Each State Party shall adopt such measures as may be necessary to establish the "
                    "liability of legal persons for participation in the offences established in accordance "
                    "with this Convention, without prejudice to the criminal liability of the natural "
                    "persons who have committed the offences, and subject to monetary sanctions.",
                ),
            ),
        ),
        (
            "Jurisdiction",
            (
                _a(
                    "a-jurisdiction",
                    "Jurisdiction",
                    "Each State Party shall adopt such measures as may be necessary to establish its "
                    "jurisdiction over the offences when the offence is committed in its territory, or on "
                    "board a vessel that is flying its flag or an aircraft that is registered under its "
                    "laws, or by a national of that State Party.",
                ),
            ),
        ),
        (
            "Procedural measures and law enforcement",
            (
                _a(
                    "a-scope",
                    "Scope of procedural measures",
                    "Each State Party shall adopt such legislative measures as may be necessary to establish "
                    "the powers and procedures provided for in this Chapter for the purpose of specific "
                    "criminal investigations or proceedings, and for the collection of evidence in electronic "
                    "form of any criminal offence.",
                ),
                _a(
                    "a-safeguards",
                    "Conditions and safeguards",
                    "Each State Party shall ensure that the establishment, implementation and application of "
                    "the powers and procedures provided for in this Chapter are subject to conditions and "
                    "safeguards provided for under its domestic law, which shall provide for the protection "
                    "of human rights, and which shall incorporate the principle of proportionality.",
                ),
                _a(
                    "a-preservation",
                    "Expedited preservation of stored electronic data",
                    "Each State Party shall adopt measures to enable its competent authorities to order the "
                    "expeditious preservation of specified electronic data, including traffic data, that "
                    "have been stored by means of an information system, in particular where there are "
                    "grounds to believe that the data are vulnerable to loss or modification. The custodian "
                    "shall preserve and maintain the integrity of the data for up to ninety days.",
                ),
                _a(
                    "a-preservation",
                    "Expedited preservation and partial disclosure of traffic data",
                    "Each State Party shall adopt, in respect of traffic data that are to be preserved, "
                    "measures to ensure the expeditious disclosure to its competent authority of a sufficient "
                    "amount of traffic data to enable the identification of the service providers and the "
                    "path through which the communication was transmitted.",
                ),
                _a(
                    "a-production",
                    "Production order",
                    "Each State Party shall empower its competent authorities to order a person in its "
                    "territory to submit specified electronic data in that person's possession or control, "
                    "and a service provider offering its services in the territory of the State Party to "
                    "submit subscriber information in that service provider's possession or control.",
                ),
                _a(
                    "a-search",
                    "Search and seizure of stored or processed electronic data",
                    "Each State Party shall empower its competent authorities to search or similarly access an "
                    "information system and an electronic data storage medium in which the data sought may "
                    "be stored, and to seize or similarly secure the electronic data accessed, including by "
                    "making and retaining a copy of those data.",
                ),
                _a(
                    "a-realtime",
                    "Real-time collection of traffic data",
                    "Each State Party shall empower its competent authorities to collect or record, through "
                    "the application of technical means in its territory, traffic data in real time "
                    "associated with specified communications transmitted by means of an information system, "
                    "and to compel a service provider, within its existing technical capability, to "
                    "cooperate and assist in the collection or recording of such traffic data.",
                ),
                _a(
                    "a-content",
                    "Interception of content data",
                    "Each State Party shall, in relation to a range of serious offences to be determined by "
                    "domestic law, empower its competent authorities to collect or record the content data, "
                    "in real time, of specified communications, and may oblige a service provider to keep "
                    "confidential the fact of the execution of such power.",
                ),
                _a(
                    "b-witnesses",
                    "Protection of witnesses",
                    "Each State Party shall take appropriate measures to provide effective protection from "
                    "potential retaliation or intimidation for witnesses and experts who give testimony, and "
                    "for their relatives and other persons close to them.",
                ),
            ),
        ),
        (
            "International cooperation",
            (
                _a(
                    "a-cooperation",
                    "General principles of international cooperation",
                    "States Parties shall cooperate with each other in accordance with the provisions of this "
                    "Convention for the purpose of investigations and prosecutions of offences, and for the "
                    "collection, obtaining, preservation and sharing of evidence in electronic form.",
                ),
                _a(
                    "a-extradition",
                    "Extradition",
                    "This article shall apply to the offences established in accordance with this Convention "
                    "when the person who is the subject of the request for extradition is present in the "
                    "territory of the requested State Party, provided that the offence is punishable by a "
                    "maximum deprivation of liberty of at least one year.",
                ),
                _a(
                    "a-network",
                    "Point of contact available at all times",
                    "Each State Party shall designate a point of contact available twenty-four hours a day, "
                    "seven days a week, in order to ensure the provision of immediate assistance, including "
                    "technical advice, the preservation of stored electronic data and the locating of "
                    "suspects.",
                ),
                _a(
                    "b-assistance",
                    "Technical assistance and capacity-building",
                    "States Parties shall, according to their capacity, consider affording one another the "
                    "widest measure of technical assistance and capacity-building, including training, "
                    "the exchange of relevant expertise and the transfer of technology on mutually agreed "
                    "terms.",
                ),
            ),
        ),
        (
            "Final provisions",
            (
                _a(
                    "a-reservations",
                    "Reservations",
                    "No reservations may be made to this Convention except those expressly permitted, by a "
                    "written notification to the Secretary-General at the time of signature or ratification.",
                ),
                _a(
                    "a-signature",
                    "Signature, ratification and entry into force",
                    "This Convention shall be open to all States for signature. It shall enter into force "
                    "on the ninetieth day after the date of deposit of the fortieth instrument of "
                    "ratification, acceptance, approval or accession.",
                ),
                _a(
                    "a-denunciation",
                    "Withdrawal",
                    "A State Party may denounce this Convention by written notification to the "
                    "Secretary-General of the United Nations. Such denunciation shall take effect one year "
                    "after the date of receipt of the notification by the Secretary-General.",
                ),
            ),
        ),
    ),
)


def true_pairs(a: Treaty = A, b: Treaty = B) -> set[tuple[str, str]]:
    """Every (A's citation, B's citation) that stands for the same provision."""
    a_number = {art.aid: n for n, art in a.numbered()}
    pairs = set()
    for n, art in b.numbered():
        for aid in art.aid.split():
            if aid in a_number:
                pairs.add((f"Art. {a_number[aid]}", f"Art. {n}"))
    return pairs


def _story_pdf(body: str, css: str, paper: str, header: str, path: Path) -> Path:
    story = pymupdf.Story(html=body, user_css=css)
    rect = pymupdf.paper_rect(paper)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    more = 1
    while more:
        device = writer.begin_page(rect)
        more, _ = story.place(rect + (72, 80, -72, -80))
        story.draw(device)
        writer.end_page()
    writer.close()
    pdf = pymupdf.open("pdf", buffer.getvalue())
    for page in pdf.pages():
        page.insert_text((72, 45), header, fontname="helv", fontsize=8)
        page.insert_text((page.rect.width / 2 - 8, page.rect.height - 40), str(page.number + 1), fontsize=8)
    pdf.set_metadata({"title": header})
    pdf.save(path)
    pdf.close()
    return path


REGIONAL_CSS = """
* { font-family: sans-serif; font-size: 10pt; line-height: 1.25; }
h1 { font-size: 13pt; }
h2 { font-size: 11pt; margin-top: 10pt; }
h3 { font-size: 10pt; font-weight: bold; margin-top: 8pt; margin-bottom: 2pt; }
p { text-align: left; margin-top: 0; margin-bottom: 4pt; }
"""
UN_CSS = """
* { font-family: serif; font-size: 11.5pt; line-height: 1.3; }
h1 { font-size: 14pt; text-align: center; }
h2 { font-size: 12pt; text-align: center; margin-top: 14pt; }
h3 { font-size: 11.5pt; text-align: center; margin-top: 10pt; margin-bottom: 0; }
p.at { text-align: center; font-weight: bold; margin-top: 2pt; }
p { text-align: justify; margin-top: 0; margin-bottom: 6pt; }
"""


def regional_pdf(treaty: Treaty, path: Path) -> Path:
    """ "Chapter II – Title", "Article 15 – Conditions and safeguards", paragraphs "1 ..."."""
    parts = [f"<h1>{html.escape(treaty.title)}</h1>"]
    number = 0
    roman = ["", "I", "II", "III", "IV", "V", "VI", "VII"]
    for ci, (chapter_title, articles) in enumerate(treaty.chapters, start=1):
        parts.append(f"<h2>Chapter {roman[ci]} \u2013 {html.escape(chapter_title)}</h2>")
        for art in articles:
            number += 1
            parts.append(f"<h3>Article {number} \u2013 {html.escape(art.title)}</h3>")
            single = len(art.paragraphs) == 1
            for pi, text in enumerate(art.paragraphs, start=1):
                lead = "" if single else f"{pi}&#160;&#160;"
                parts.append(f"<p>{lead}{html.escape(text, quote=False)}</p>")
    return _story_pdf("\n".join(parts), REGIONAL_CSS, "letter", treaty.title, path)


def un_pdf(treaty: Treaty, path: Path) -> Path:
    """ "CHAPTER II" and its title centred, "ARTICLE 24" centred with the title below, ligatures."""
    parts = [f"<h1>{html.escape(treaty.title)}</h1>"]
    number = 0
    roman = ["", "I", "II", "III", "IV", "V", "VI", "VII"]
    for ci, (chapter_title, articles) in enumerate(treaty.chapters, start=1):
        parts.append(f"<h2>CHAPTER {roman[ci]}</h2>")
        parts.append(f'<p class="at">{html.escape(chapter_title.upper())}</p>')
        for art in articles:
            number += 1
            parts.append(f"<h3>Article {number}</h3>")
            parts.append(f'<p class="at">{html.escape(art.title)}</p>')
            single = len(art.paragraphs) == 1
            for pi, text in enumerate(art.paragraphs, start=1):
                text = html.escape(text, quote=False).replace("ffi", "\ufb03").replace("fi", "\ufb01")
                lead = "" if single else f"{pi}.&#160;"
                parts.append(f"<p>{lead}{text}</p>")
    return _story_pdf("\n".join(parts), UN_CSS, "a4", treaty.title, path)
