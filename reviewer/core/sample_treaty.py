"""A fictional convention written for this project, and the code that lays it out as a PDF.

The sample treaty (``resources/sample-treaty.pdf``) is what a newcomer sees on first run; tests
and benchmarks build variants of it (an article inserted, a paragraph deleted, clauses
reworded, hundreds of pages) with ``build_treaty_pdf``. ``scripts/make_sample_treaty.py``
regenerates the shipped file.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pymupdf

ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    subparagraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Chapter:
    title: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Treaty:
    title: str
    short_title: str
    preamble: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    version_note: str = "Draft text, version 1"
    ligatures: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    def articles(self) -> list[tuple[int, Article]]:
        out, number = [], 0
        for chapter in self.chapters:
            for article in chapter.articles:
                number += 1
                out.append((number, article))
        return out


def P(text: str, *subs: str) -> Paragraph:
    return Paragraph(text, tuple(subs))


SAMPLE_TREATY = Treaty(
    title="Convention on Cross-Border Cooperation in the Investigation of Information System Offences",
    short_title="Convention on Information System Offences",
    preamble=(
        "The States Parties to this Convention,",
        "Recognizing that information and communications technologies offer great opportunities "
        "for the development of societies while creating new means for the commission of offences,",
        "Concerned that the collection of electronic evidence across borders affects the right to "
        "privacy and the freedom of expression of persons who are not suspected of any offence,",
        "Reaffirming that measures taken under this Convention shall be consistent with the "
        "obligations of States Parties under international human rights law,",
        "Convinced that effective international cooperation requires clear rules, reliable "
        "safeguards and the confidence of the public,",
        "Have agreed as follows:",
    ),
    chapters=(
        Chapter(
            "General provisions",
            (
                Article(
                    "Statement of purpose",
                    (
                        P(
                            "The purposes of this Convention are:",
                            "to promote and strengthen measures to prevent and combat information system offences more efficiently and effectively;",
                            "to promote, facilitate and strengthen international cooperation in the investigation of such offences; and",
                            "to ensure that such cooperation respects human rights and fundamental freedoms.",
                        ),
                    ),
                ),
                Article(
                    "Use of terms",
                    (
                        P(
                            "For the purposes of this Convention:",
                            "\u201cinformation system\u201d means any device or group of interconnected devices which automatically processes digital data;",
                            "\u201celectronic data\u201d means any representation of facts, information or concepts in a form suitable for processing in an information system;",
                            "\u201csubscriber information\u201d means any information held by a service provider relating to subscribers of its services, other than traffic data or content data;",
                            "\u201ctraffic data\u201d means any electronic data relating to a communication indicating its origin, destination, route, time, date, size or duration;",
                            "\u201cserious offence\u201d means conduct constituting an offence punishable by a maximum deprivation of liberty of at least four years or a more serious penalty.",
                        ),
                    ),
                ),
                Article(
                    "Scope of application",
                    (
                        P(
                            "This Convention shall apply to the prevention, investigation and prosecution of the offences established in accordance with Chapter II and to the collection of evidence in electronic form of any serious offence."
                        ),
                        P(
                            "It shall not be necessary for the offences set forth in this Convention to result in damage or harm to persons, property or the State, except as otherwise provided herein."
                        ),
                    ),
                ),
                Article(
                    "Protection of sovereignty",
                    (
                        P(
                            "States Parties shall carry out their obligations under this Convention in a manner consistent with the principles of sovereign equality and territorial integrity of States and that of non-intervention in the domestic affairs of other States."
                        ),
                        P(
                            "Nothing in this Convention shall entitle a State Party to undertake in the territory of another State the exercise of jurisdiction and performance of functions that are reserved exclusively for the authorities of that other State by its domestic law."
                        ),
                    ),
                ),
                Article(
                    "Respect for human rights",
                    (
                        P(
                            "States Parties shall ensure that the implementation of their obligations under this Convention is consistent with their obligations under international human rights law."
                        ),
                        P(
                            "Nothing in this Convention shall be interpreted as permitting the suppression of human rights or fundamental freedoms, including the rights related to the freedoms of expression, conscience, opinion, religion or belief, peaceful assembly and association."
                        ),
                    ),
                ),
            ),
        ),
        Chapter(
            "Criminalization",
            (
                Article(
                    "Illegal access",
                    (
                        P(
                            "Each State Party shall adopt such legislative and other measures as may be necessary to establish as a criminal offence under its domestic law, when committed intentionally, the access to the whole or any part of an information system without right."
                        ),
                        P(
                            "A State Party may require that the offence be committed by infringing security measures, with the intent of obtaining electronic data or other dishonest intent."
                        ),
                    ),
                ),
                Article(
                    "Illegal interception",
                    (
                        P(
                            "Each State Party shall establish as a criminal offence the interception without right, made by technical means, of non-public transmissions of electronic data to, from or within an information system."
                        ),
                    ),
                ),
                Article(
                    "Interference with electronic data",
                    (
                        P(
                            "Each State Party shall establish as a criminal offence the damaging, deletion, deterioration, alteration or suppression of electronic data without right."
                        ),
                        P(
                            "A State Party may reserve the right to require that the conduct described in paragraph 1 result in serious harm."
                        ),
                    ),
                ),
                Article(
                    "Misuse of devices",
                    (
                        P(
                            "Each State Party shall establish as criminal offences, when committed intentionally and without right:",
                            "the production, sale, procurement for use, import or distribution of a device designed primarily for the purpose of committing any of the offences established in accordance with articles 6 to 8;",
                            "the possession of such a device with intent that it be used for the purpose of committing any of those offences.",
                        ),
                        P(
                            "This article shall not be interpreted as imposing criminal liability where the conduct is for the authorized testing or protection of an information system, or for research undertaken in good faith."
                        ),
                    ),
                ),
                Article(
                    "Liability of legal persons",
                    (
                        P(
                            "Each State Party shall adopt such measures as may be necessary, consistent with its legal principles, to establish the liability of legal persons for participation in the offences established in accordance with this Convention."
                        ),
                    ),
                ),
            ),
        ),
        Chapter(
            "Procedural measures",
            (
                Article(
                    "Scope of procedural measures",
                    (
                        P(
                            "Each State Party shall adopt such legislative and other measures as may be necessary to establish the powers and procedures provided for in this Chapter for the purpose of specific criminal investigations or proceedings."
                        ),
                        P(
                            "Each State Party shall apply the powers and procedures referred to in paragraph 1 to:",
                            "the criminal offences established in accordance with this Convention;",
                            "other criminal offences committed by means of an information system; and",
                            "the collection of evidence in electronic form of any criminal offence.",
                        ),
                    ),
                ),
                Article(
                    "Conditions and safeguards",
                    (
                        P(
                            "Each State Party shall ensure that the establishment, implementation and application of the powers and procedures provided for in this Chapter are subject to conditions and safeguards provided for under its domestic law, which shall provide for the protection of human rights and shall incorporate the principle of proportionality."
                        ),
                        P(
                            "Such conditions and safeguards shall, as appropriate in view of the nature of the procedure or power concerned, include:",
                            "judicial or other independent review;",
                            "the right to an effective remedy;",
                            "grounds justifying application; and",
                            "limitation of the scope and the duration of such power or procedure.",
                        ),
                        P(
                            "To the extent that it is consistent with the public interest, each State Party shall consider the impact of the powers and procedures in this Chapter upon the rights, responsibilities and legitimate interests of third parties."
                        ),
                    ),
                ),
                Article(
                    "Expedited preservation of stored electronic data",
                    (
                        P(
                            "Each State Party shall adopt such measures as may be necessary to enable its competent authorities to order or similarly obtain the expeditious preservation of specified electronic data, including traffic data, that has been stored by means of an information system."
                        ),
                        P(
                            "The order shall oblige the person in possession or control of the data to preserve and maintain the integrity of that data for a period of time as long as necessary, up to a maximum of ninety days, to enable the competent authorities to seek its disclosure."
                        ),
                    ),
                ),
                Article(
                    "Production order",
                    (
                        P(
                            "Each State Party shall adopt such measures as may be necessary to empower its competent authorities to order:",
                            "a person in its territory to submit specified electronic data in that person\u2019s possession or control; and",
                            "a service provider offering its services in the territory of the State Party to submit subscriber information relating to such services.",
                        ),
                    ),
                ),
                Article(
                    "Search and seizure of stored electronic data",
                    (
                        P(
                            "Each State Party shall adopt such measures as may be necessary to empower its competent authorities to search or similarly access an information system and electronic data stored therein in its territory."
                        ),
                        P(
                            "Each State Party shall empower its competent authorities to order any person who has knowledge about the functioning of the information system to provide, as is reasonable, the necessary information to enable the undertaking of the measures referred to in paragraph 1."
                        ),
                    ),
                ),
                Article(
                    "Real-time collection of traffic data",
                    (
                        P(
                            "Each State Party shall adopt such measures as may be necessary to empower its competent authorities to collect or record, through the application of technical means in its territory, traffic data in real time associated with specified communications."
                        ),
                        P(
                            "Each State Party shall adopt such measures as may be necessary to oblige a service provider to keep confidential the fact of the execution of any power provided for in this article and any information relating to it."
                        ),
                    ),
                ),
                Article(
                    "Interception of content data",
                    (
                        P(
                            "Each State Party shall, in relation to a range of serious offences to be determined by domestic law, adopt such measures as may be necessary to empower its competent authorities to collect or record, in real time, content data of specified communications in its territory."
                        ),
                    ),
                ),
            ),
        ),
        Chapter(
            "International cooperation",
            (
                Article(
                    "General principles of international cooperation",
                    (
                        P(
                            "States Parties shall cooperate with each other to the widest extent possible for the purpose of investigations and proceedings concerning criminal offences established in accordance with this Convention, and for the collection of evidence in electronic form of any serious offence."
                        ),
                        P(
                            "Where dual criminality is considered a requirement, it shall be deemed fulfilled irrespective of whether the laws of the requested State Party place the offence within the same category of offence or denominate it by the same terminology as the requesting State Party."
                        ),
                    ),
                ),
                Article(
                    "Protection of personal data",
                    (
                        P(
                            "A State Party transferring personal data pursuant to this Convention shall do so subject to the conditions of its domestic law and applicable international law."
                        ),
                        P(
                            "States Parties shall not be required to transfer personal data if the data cannot be provided in compliance with their applicable laws concerning the protection of personal data."
                        ),
                        P(
                            "A State Party that receives personal data shall use it only for the purposes for which it was transferred and shall not transfer it to a third country without the prior authorization of the transferring State Party."
                        ),
                    ),
                ),
                Article(
                    "Mutual legal assistance",
                    (
                        P(
                            "States Parties shall afford one another the widest measure of mutual legal assistance in investigations, prosecutions and judicial proceedings in relation to the offences established in accordance with this Convention."
                        ),
                        P(
                            "Mutual legal assistance may be refused:",
                            "if the request concerns an offence that the requested State Party considers a political offence;",
                            "if the requested State Party considers that execution of the request is likely to prejudice its sovereignty, security or other essential interests; or",
                            "if there are substantial grounds for believing that the request has been made for the purpose of prosecuting or punishing a person on account of that person\u2019s sex, race, language, religion, nationality, ethnic origin or political opinions.",
                        ),
                    ),
                ),
                Article(
                    "Spontaneous information",
                    (
                        P(
                            "A State Party may, within the limits of its domestic law and without prior request, forward to another State Party information obtained within the framework of its own investigations when it considers that the disclosure of such information might assist the receiving State Party."
                        ),
                    ),
                ),
                Article(
                    "24/7 network",
                    (
                        P(
                            "Each State Party shall designate a point of contact available twenty-four hours a day, seven days a week, in order to ensure the provision of immediate assistance for the purpose of specific criminal investigations or proceedings."
                        ),
                        P(
                            "Such assistance shall include facilitating or, if permitted by the domestic law and practice of the State Party, directly carrying out the provision of technical advice, the preservation of data and the collection of evidence."
                        ),
                    ),
                ),
            ),
        ),
        Chapter(
            "Final provisions",
            (
                Article(
                    "Implementation and review",
                    (
                        P(
                            "A Conference of the States Parties to the Convention is hereby established to improve the capacity of and cooperation between States Parties and to promote and review the implementation of this Convention."
                        ),
                        P(
                            "The Conference shall consider, in an open and inclusive manner, the views of civil society, academia and the private sector on the impact of this Convention on human rights."
                        ),
                    ),
                ),
                Article(
                    "Settlement of disputes",
                    (
                        P(
                            "States Parties shall endeavour to settle disputes concerning the interpretation or application of this Convention through negotiation or any other peaceful means of their own choice."
                        ),
                    ),
                ),
                Article(
                    "Signature, ratification and entry into force",
                    (
                        P(
                            "This Convention shall be open to all States for signature and shall be subject to ratification, acceptance or approval."
                        ),
                        P(
                            "This Convention shall enter into force on the ninetieth day after the date of deposit of the fortieth instrument of ratification, acceptance, approval or accession."
                        ),
                    ),
                ),
                Article(
                    "Denunciation",
                    (
                        P(
                            "A State Party may denounce this Convention by written notification to the Secretary-General of the United Nations. Such denunciation shall become effective one year after the date of receipt of the notification."
                        ),
                    ),
                ),
            ),
        ),
    ),
)

_LIGATURES = [("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02")]

CSS = """
body { font-family: serif; font-size: 11pt; line-height: 1.35; }
h1 { font-size: 17pt; text-align: center; margin-bottom: 4pt; }
h2 { font-size: 13pt; text-align: center; margin-top: 16pt; margin-bottom: 0; }
h3 { font-size: 11.5pt; text-align: center; margin-top: 12pt; margin-bottom: 0; }
p.title { text-align: center; font-style: italic; margin-top: 2pt; margin-bottom: 6pt; }
p.chaptitle { text-align: center; font-weight: bold; margin-top: 2pt; margin-bottom: 8pt; }
p { text-align: justify; margin-top: 0; margin-bottom: 5pt; }
p.sub { margin-left: 28pt; }
p.note { text-align: center; font-style: italic; font-size: 10pt; }
"""


def _ligate(text: str) -> str:
    for plain, glyph in _LIGATURES:
        text = text.replace(plain, glyph)
    return text


def treaty_html(treaty: Treaty) -> str:
    def t(text: str) -> str:
        escaped = html.escape(text, quote=False)
        return _ligate(escaped) if treaty.ligatures else escaped

    parts = [
        f"<h1>{t(treaty.title)}</h1>",
        f'<p class="note">{t(treaty.version_note)}</p>',
        "<h2>Preamble</h2>",
    ]
    parts += [f"<p>{t(line)}</p>" for line in treaty.preamble]
    number = 0
    for ci, chapter in enumerate(treaty.chapters, start=1):
        parts.append(f"<h2>Chapter {ROMAN[ci]}</h2>")
        parts.append(f'<p class="chaptitle">{t(chapter.title)}</p>')
        for article in chapter.articles:
            number += 1
            parts.append(f"<h3>Article {number}</h3>")
            parts.append(f'<p class="title">{t(article.title)}</p>')
            single = len(article.paragraphs) == 1
            for pi, paragraph in enumerate(article.paragraphs, start=1):
                lead = "" if single else f"{pi}.&#160;"
                parts.append(f"<p>{lead}{t(paragraph.text)}</p>")
                for si, sub in enumerate(paragraph.subparagraphs):
                    parts.append(f'<p class="sub">({chr(ord("a") + si)})&#160;{t(sub)}</p>')
    return "\n".join(parts)


def build_treaty_pdf(
    treaty: Treaty, path: str | Path | None = None, *, paper: str = "a4", repeat_body: int = 1
) -> bytes:
    """Lay the treaty out with running headers and "Page N of M" footers; return the bytes.

    ``repeat_body`` repeats the chapters (for benchmark documents of hundreds of pages).
    """
    body = treaty_html(treaty)
    if repeat_body > 1:
        head, _, rest = body.partition("<h2>Chapter I</h2>")
        body = head + "".join("<h2>Chapter I</h2>" + rest for _ in range(repeat_body))
    story = pymupdf.Story(html=body, user_css=CSS)
    page_rect = pymupdf.paper_rect(paper)
    content = page_rect + (72, 72, -72, -72)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    more = 1
    while more:
        device = writer.begin_page(page_rect)
        more, _ = story.place(content)
        story.draw(device)
        writer.end_page()
    writer.close()
    doc = pymupdf.open("pdf", buffer.getvalue())
    total = doc.page_count
    header = f"{treaty.short_title}  |  {treaty.version_note}"
    for page in doc.pages():
        width = page.rect.width
        page.insert_text((72, 40), header, fontname="helv", fontsize=8.5, color=(0.35, 0.35, 0.35))
        footer = f"Page {page.number + 1} of {total}"
        text_width = pymupdf.get_text_length(footer, fontname="helv", fontsize=8.5)
        page.insert_text(
            ((width - text_width) / 2, page.rect.height - 36),
            footer,
            fontname="helv",
            fontsize=8.5,
            color=(0.35, 0.35, 0.35),
        )
        page.draw_line((72, 46), (width - 72, 46), color=(0.6, 0.6, 0.6), width=0.5)
    doc.set_metadata(
        {"title": treaty.title, "subject": treaty.version_note, "creator": "Reviewer sample generator"}
    )
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def with_article_inserted(treaty: Treaty, chapter_index: int, position: int, article: Article) -> Treaty:
    chapters = list(treaty.chapters)
    chapter = chapters[chapter_index]
    articles = list(chapter.articles)
    articles.insert(position, article)
    chapters[chapter_index] = replace(chapter, articles=tuple(articles))
    return replace(treaty, chapters=tuple(chapters))


def reworded(treaty: Treaty, old: str, new: str) -> Treaty:
    """Replace a phrase everywhere in the body (a light redraft)."""

    def fix(text: str) -> str:
        return re.sub(re.escape(old), new, text)

    chapters = tuple(
        replace(
            c,
            articles=tuple(
                replace(
                    a,
                    paragraphs=tuple(
                        Paragraph(fix(p.text), tuple(fix(s) for s in p.subparagraphs)) for p in a.paragraphs
                    ),
                )
                for a in c.articles
            ),
        )
        for c in treaty.chapters
    )
    return replace(treaty, chapters=chapters)


# --- anchors: variants for carrying tests ---------------------------------------------------
def without_paragraph(treaty: Treaty, article_number: int, paragraph_number: int) -> Treaty:
    """Delete paragraph ``paragraph_number`` (1-based) of article ``article_number``."""
    chapters = []
    number = 0
    for chapter in treaty.chapters:
        articles = []
        for article in chapter.articles:
            number += 1
            if number == article_number:
                paragraphs = enumerate(article.paragraphs, start=1)
                kept = tuple(p for i, p in paragraphs if i != paragraph_number)
                article = replace(article, paragraphs=kept)
            articles.append(article)
        chapters.append(replace(chapter, articles=tuple(articles)))
    return replace(treaty, chapters=tuple(chapters))


def with_version_note(treaty: Treaty, note: str) -> Treaty:
    """A new running header (and cover note), as a new version of the text carries."""
    return replace(treaty, version_note=note)
