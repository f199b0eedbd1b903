"""Ten treaty texts in the line markup of ``typeset.py``, each paired with a house style.

Tags: NAME title · PREAMBLE heading · PRE preamble text · DIV kind | label | name ·
ART n | title · ANNEX label | title · P paragraph · PL paragraph opening with its first letter
("3. (a) …") · L letter · I roman item · J further level · D dash item · B unnumbered body ·
C closing words at the paragraph's edge · CL closing words of a letter after its items · W testimonium · SIG signature rows ("/" separates).
A word starting "^^" begins a row (a cross-reference that wrapped to a row start).
"""

from __future__ import annotations

from tests.structure_corpus.typeset import Style

# A Budapest-like Council of Europe convention: "Article N – Title", bare paragraph numbers
# and letters written "a)", items "i)" under letters, chapters ▸ sections ▸ titles.
CYBER = """
NAME Convention on Offences against Information Systems
PRE The member States of the Council of Europe and the other States signatory hereto, considering that the aim of the Council of Europe is to achieve a greater unity between its members, have agreed as follows:
DIV chapter | I | Use of terms
ART 1 | Definitions
B For the purposes of this Convention:
L "information system" means any device or a group of interconnected or related devices, one or more of which, pursuant to a program, performs automatic processing of data;
L "service provider" means:
I any public or private entity that provides to users of its service the ability to communicate by means of an information system, and
I any other entity that processes or stores electronic data on behalf of such communication service or users of such service;
L "traffic data" means any electronic data relating to a communication by means of an information system, indicating the origin, destination, route, time, date, size, duration, or type of underlying service.
DIV chapter | II | Measures to be taken at the national level
DIV section | 1 | Substantive criminal law
DIV title | 1 | Offences against the confidentiality, integrity and availability of data and systems
ART 2 | Illegal access
B Each Party shall adopt such legislative and other measures as may be necessary to establish as criminal offences under its domestic law, when committed intentionally, the access to the whole or any part of an information system without right. A Party may require that the offence be committed by infringing security measures, with the intent of obtaining electronic data or other dishonest intent.
ART 3 | Illegal interception
B Each Party shall adopt such legislative and other measures as may be necessary to establish as criminal offences under its domestic law, when committed intentionally, the interception without right, made by technical means, of non-public transmissions of computer data to, from or within an information system.
ART 4 | Data interference
P Each Party shall adopt such legislative and other measures as may be necessary to establish as criminal offences under its domestic law, when committed intentionally, the damaging, deletion, deterioration, alteration or suppression of computer data without right.
P A Party may reserve the right to require that the conduct described in paragraph 1 result in serious harm.
ART 5 | System interference
B Each Party shall adopt such legislative and other measures as may be necessary to establish as criminal offences under its domestic law, when committed intentionally, the serious hindering without right of the functioning of an information system by inputting, transmitting, damaging, deleting, deteriorating, altering or suppressing computer data.
ART 6 | Misuse of devices
P Each Party shall adopt such legislative and other measures as may be necessary to establish as criminal offences under its domestic law, when committed intentionally and without right:
L the production, sale, procurement for use, import, distribution or otherwise making available of:
I a device, including a computer program, designed or adapted primarily for the purpose of committing any of the offences established in accordance with Articles 2 through 5;
I a computer password, access code, or similar data by which the whole or any part of an information system is capable of being accessed,
CL with intent that it be used for the purpose of committing any of the offences established in Articles 2 through 5; and
L the possession of an item referred to in paragraphs a.i or ii above, with intent that it be used for the purpose of committing any of the offences established in Articles 2 through 5.
P This article shall not be interpreted as imposing criminal liability where the production, sale, procurement for use, import or distribution is not for the purpose of committing an offence, such as for the authorised testing or protection of an information system.
P Each Party may reserve the right not to apply paragraph 1 of this article, provided that the reservation does not concern the sale, distribution or otherwise making available of the items referred to in paragraph 1.a.ii of this article.
DIV title | 2 | Computer-related offences
ART 7 | Computer-related forgery
B Each Party shall adopt such legislative and other measures as may be necessary to establish as criminal offences under its domestic law, when committed intentionally and without right, the input, alteration, deletion, or suppression of electronic data, resulting in inauthentic data with the intent that it be considered or acted upon for legal purposes as if it were authentic.
DIV section | 2 | Procedural law
ART 15 | Conditions and safeguards
P Each Party shall ensure that the establishment, implementation and application of the powers and procedures provided for in this Section are subject to conditions and safeguards provided for under its domestic law.
P Such conditions and safeguards shall, as appropriate in view of the nature of the procedure or power concerned, inter alia, include judicial or other independent supervision, grounds justifying application, and limitation of the scope and the duration of such power or procedure. The powers referred to in this paragraph are without prejudice to those in
^^Article 24. The Parties shall consult each other where the need arises.
P To the extent that it is consistent with the public interest, in particular the sound administration of justice, each Party shall consider the impact of the powers and procedures in this section upon the rights, responsibilities and legitimate interests of third parties.
ART 27 | Procedures pertaining to mutual assistance requests in the absence of applicable international agreements
P Where there is no mutual assistance treaty or arrangement on the basis of uniform or reciprocal legislation in force between the requesting and requested Parties, the provisions of paragraphs 2 through 4 of this article shall apply.
P The requested Party may, in addition to the grounds for refusal established in Article 25, refuse assistance if:
L the request concerns an offence which the requested Party considers a political offence or an offence connected with a political offence, or
L it considers that execution of the request is likely to prejudice its sovereignty, security, ordre public or other essential interests.
P The requested Party may postpone action on a request if such action would prejudice criminal investigations or proceedings conducted by its authorities.
W In witness whereof the undersigned, being duly authorised thereto, have signed this Convention. Done at Budapest, this 23rd day of November 2001, in English and in French, both texts being equally authentic.
SIG For the Government of the French Republic / For the Government of the Italian Republic
"""

# An ICJ-Statute-like text: centred "Article N", no titles, letters written "a.".
STATUTE = """
NAME Statute of the Permanent Tribunal for Maritime Claims
DIV chapter | I | Organization of the Tribunal
ART 1
B The Permanent Tribunal for Maritime Claims established by the Agreement shall be constituted and shall function in accordance with the provisions of the present Statute.
ART 2
B The Tribunal shall be composed of a body of independent judges, elected regardless of their nationality from among persons of high moral character, who possess the qualifications required in their respective countries for appointment to the highest judicial offices.
ART 3
P The Tribunal shall consist of fifteen members, no two of whom may be nationals of the same state.
P A person who for the purposes of membership in the Tribunal could be regarded as a national of more than one state shall be deemed to be a national of the one in which he ordinarily exercises civil and political rights.
ART 4
P The members of the Tribunal shall be elected by the Assembly from a list of persons nominated by the national groups, in accordance with the following provisions.
P In the case of members not represented in the Assembly, candidates shall be nominated by national groups appointed for this purpose by their governments under conditions laid down in
^^Article 44. Such groups shall act on the same footing as the others.
ART 5
P At least three months before the date of the election, the Registrar shall address a written request to the members of the Tribunal, inviting them to undertake, within a given time, the nomination of persons in a position to accept the duties of a member.
P No group may nominate more than four persons, not more than two of whom shall be of their own nationality.
DIV chapter | II | Competence of the Tribunal
ART 6
P The jurisdiction of the Tribunal comprises all cases which the parties refer to it and all matters specially provided for in the Agreement.
P The states parties to the present Statute may at any time declare that they recognize as compulsory ipso facto and without special agreement the jurisdiction of the Tribunal in all legal disputes concerning:
L the interpretation of a treaty;
L any question of international law;
L the existence of any fact which, if established, would constitute a breach of an international obligation;
L the nature or extent of the reparation to be made for the breach of an international obligation.
P The declarations referred to above may be made unconditionally or on condition of reciprocity on the part of several or certain states, or for a certain time.
ART 7
P The Tribunal, whose function is to decide in accordance with international law such disputes as are submitted to it, shall apply:
L international conventions, whether general or particular, establishing rules expressly recognized by the contesting states;
L international custom, as evidence of a general practice accepted as law;
L the general principles of law recognized by civilized nations;
L judicial decisions and the teachings of the most highly qualified publicists of the various nations, as subsidiary means for the determination of rules of law.
P This provision shall not prejudice the power of the Tribunal to decide a case ex aequo et bono, if the parties agree thereto.
W Done at The Hague on the first day of June in the year two thousand and ten.
"""

# A UN-style constitution: centred headings, two-line centred titles, (a) letters, (i) items,
# a paragraph opening with its first letter, closing words after a list, an annex.
CONSTITUTION = """
NAME Constitution of the International Organization for Water Resources
PREAMBLE
PRE The States Parties to this Constitution, in conformity with the Charter of the United Nations, bearing in mind the broad objectives of the Charter, have agreed as follows:
DIV chapter | I | Objectives and functions
ART 1 | Objectives
B The primary objective of the Organization shall be the promotion and acceleration of the sustainable management of water resources in developing countries.
ART 2 | Functions
B In fulfilment of its foregoing objectives, the Organization shall generally undertake the following:
L encourage and extend assistance to developing countries in the development, expansion and modernization of their water infrastructure;
L in accordance with the Charter of the United Nations, initiate, coordinate and follow up the activities of the United Nations system;
L promote the transfer of technology to developing countries, in particular by:
I assisting in the selection, adaptation and development of suitable technologies;
I facilitating access to information and to the results of research;
L provide training programmes for the personnel of developing countries.
C The Organization shall carry out these functions in cooperation with the competent bodies of the United Nations system and the specialized agencies.
DIV chapter | II | Membership and organs
ART 3 | Membership
P Membership of the Organization shall be open to all States which associate themselves with its objectives and principles:
L States Members of the United Nations or members of a specialized agency or of the International Atomic Energy Agency;
L other States, upon approval of their membership by the Conference, by a two-thirds majority of the Members present and voting.
P A Member which has ceased to be a Member of the United Nations shall automatically cease to be a Member of the Organization.
ART 4 | Industrial Development Board: composition, election of members and procedure of the Board
P The Board shall consist of fifty-three Members of the Organization elected by the Conference, which shall pay due regard to the principle of equitable geographical distribution.
P Members of the Board shall hold office from the close of the regular session of the Conference at which they were elected until the close of the regular session of the Conference four years thereafter.
PL review the implementation of the approved work programme and of the corresponding regular budget;
L make recommendations to the Conference on the scale of assessments for the apportionment of regular budget expenses;
L report to the Conference at each regular session on the activities of the Board;
L request Members to provide information on their activities related to the work of the Organization.
P The Board shall hold at least one regular session each year at such time as it may determine, and special sessions shall be convened by the Director-General at the request of a majority of the Members of the Board.
ART 5 | Settlement of disputes and requests for advisory opinions
P Any dispute among two or more Members concerning the interpretation or application of this Constitution which is not settled by negotiation shall be submitted to an arbitral tribunal, unless the parties concerned agree on another mode of settlement.
P The Conference and the Board are each empowered, subject to authorization from the General Assembly of the United Nations, to request the International Court of Justice to give an advisory opinion on any legal question arising within the scope of the activities of the Organization.
ANNEX | Rules governing arbitration
P The arbitral tribunal referred to in Article 5 shall be composed of three members appointed in accordance with the following procedure.
P Each party to the dispute shall appoint one arbitrator within thirty days of the request for arbitration, and the two arbitrators so appointed shall choose the third, who shall act as chairman.
P If either party has not appointed an arbitrator within the period prescribed, the Secretary-General of the United Nations may, at the request of the other party:
L appoint the arbitrator not yet appointed; or
L where both arbitrators have not agreed on the chairman, appoint the chairman from among persons of recognized standing.
P The decision of the arbitral tribunal shall be final and binding on the parties to the dispute.
"""

# An ILO-like convention in the Council of Europe manner: "Article N – Title", bare markers
# "1" and "a" followed by a gap, roman items "i." under letters.
LABOUR = """
NAME Convention concerning Safety and Health in Ports
DIV part | I | Scope and definitions
ART 1 | Scope
P For the purposes of this Convention, the term dock work covers all and any part of the work of loading or unloading any ship as well as any work incidental thereto.
P Each Member may, after consultation with the most representative organizations of employers and workers, grant exemptions from the provisions of this Convention in respect of dock work at any place where the traffic is irregular and confined to small ships.
ART 2 | Definitions
B For the purposes of this Convention:
L the term worker means any person engaged in dock work;
L the term competent person means a person possessing the knowledge and experience required for the performance of a specific duty;
L the term lifting appliance covers:
I all stationary or mobile cargo-handling appliances, including shore-based power-operated ramps;
I loose gear by means of which a load can be attached to a lifting appliance but which does not form an integral part of the appliance or load;
L the term access refers to the means of entering and leaving a ship or a part of a ship.
DIV part | II | General provisions
ART 3 | Measures to be taken
P National laws or regulations shall provide for practical measures with a view to:
L providing and maintaining workplaces, equipment and methods of work that are safe and without risk of injury to health;
L providing and maintaining safe means of access to any workplace;
L providing such information, training and supervision as are necessary to ensure the protection of workers against risks of accident;
L providing workers with any personal protective equipment and protective clothing reasonably required;
L providing and maintaining suitable and adequate first-aid and rescue facilities;
L developing and establishing proper procedures to deal with any emergency situations which may arise.
P The measures to be taken in pursuance of this Convention shall cover:
L general requirements relating to the construction, equipment and maintenance of port facilities;
L fire and explosion prevention and protection.
ART 4 | Responsibility
P National laws or regulations shall place the responsibility for compliance with the measures referred to in Article 3 on appropriate persons, whether employers, owners, masters or other persons.
P Whenever two or more employers undertake activities simultaneously at one workplace, they shall collaborate in order to comply with the prescribed measures, ^^a competent person being designated for that purpose by each of them and the names of the persons so designated being notified in writing to all the workers concerned and to their representatives.
ART 5 | Inspection
P Each Member shall provide appropriate inspection services to supervise the application of the measures to be taken in pursuance of this Convention.
P Each Member shall ensure that the inspection services are provided with the resources necessary for the accomplishment of their tasks.
W In witness whereof the duly authorised delegates have signed this Convention. Done at Geneva, this twenty-second day of June 1979.
SIG The President of the Conference / The Director-General of the International Labour Office
"""

# A US-style bilateral treaty: "ARTICLE IV" headings with upper-case titles, (A) under (i).
BILATERAL = """
NAME Treaty between the United States of America and the Republic of Estavia on Mutual Legal Assistance in Criminal Matters
PRE The United States of America and the Republic of Estavia, desiring to improve the effectiveness of the law enforcement authorities of both countries in the investigation, prosecution, and prevention of crime, have agreed as follows:
ART 1 | Scope of assistance
P The Parties shall provide mutual assistance, in accordance with the provisions of this Treaty, in connection with the investigation, prosecution, and prevention of offenses, and in proceedings related to criminal matters.
P Assistance shall include:
L taking the testimony or statements of persons;
L providing documents, records, and items of evidence;
L locating or identifying persons or items;
L serving documents;
L transferring persons in custody for testimony or other purposes;
L executing requests for searches and seizures;
L assisting in proceedings related to immobilization and forfeiture of assets, restitution, and collection of fines;
L locating the proceeds of crime; and
L any other form of assistance not prohibited by the laws of the Requested State.
P Assistance shall be provided without regard to whether the conduct that is the subject of the investigation, prosecution, or proceeding would constitute an offense under the laws of the Requested State.
ART 2 | Central authorities
P Each Party shall designate a Central Authority to make and receive requests pursuant to this Treaty.
P For the United States of America, the Central Authority shall be the Attorney General or a person designated by the Attorney General.
ART 3 | Limitations on assistance
P The Central Authority of the Requested State may deny assistance if:
L the request relates to an offense under military law which would not be an offense under ordinary criminal law;
L the execution of the request would prejudice the security or similar essential interests of the Requested State; or
L the request is not made in conformity with the Treaty, in particular where:
I the request does not identify the authority conducting the investigation; or
I the request concerns a person who:
J has been finally acquitted or convicted for the same conduct in the Requested State; or
J would be exposed to a penalty that the laws of the Requested State do not permit.
P Before denying assistance pursuant to this Article, the Central Authority of the Requested State shall consult with the Central Authority of the Requesting State to consider whether assistance can be given subject to such conditions as it deems necessary.
ART 4 | Form and contents of requests
P A request for assistance shall be in writing except that the Central Authority of the Requested State may accept a request in another form in emergency situations.
P The request shall include the name of the authority conducting the investigation, a description of the subject matter and nature of the investigation, and a description of the evidence sought.
W IN WITNESS WHEREOF, the undersigned, being duly authorized by their respective Governments, have signed this Treaty. DONE at Washington, in duplicate, this fifteenth day of March, 2019.
SIG FOR THE UNITED STATES OF AMERICA: / FOR THE REPUBLIC OF ESTAVIA:
"""

# An EU regulation set in the Official Journal's two columns.
REGULATION = """
NAME Regulation on the Interoperability of Electronic Identification Services
DIV chapter | I | General provisions
ART 1 | Subject matter
B This Regulation lays down rules for the mutual recognition of electronic identification means and for the trust services provided to natural and legal persons in the internal market.
ART 2 | Definitions
B For the purposes of this Regulation, the following definitions apply:
L electronic identification means the process of using person identification data in electronic form uniquely representing either a natural or legal person;
L electronic identification means a material or immaterial unit containing person identification data and which is used for authentication for an online service;
L authentication means an electronic process that enables the confirmation of:
I the electronic identification of a natural or legal person; or
I the origin and integrity of data in electronic form;
L relying party means a natural or legal person that relies upon an electronic identification or a trust service.
ART 3 | Mutual recognition
P When an electronic identification using an electronic identification means and authentication is required under national law or by administrative practice to access a service provided by a public sector body online in one Member State, the electronic identification means issued in another Member State shall be recognised.
P Recognition shall take place no later than twelve months after the Commission publishes the list referred to in point (a) of the first subparagraph.
P An electronic identification means which is issued under an electronic identification scheme included in the list published by the Commission shall be recognised where:
L the assurance level of the electronic identification means corresponds to an assurance level equal to or higher than that required by the relevant public sector body;
L the relevant public sector body uses the assurance level substantial or high in relation to accessing that service online.
DIV chapter | II | Trust services
ART 4 | Liability and burden of proof
P Trust service providers shall be liable for damage caused intentionally or negligently to any natural or legal person due to a failure to comply with the obligations under this Regulation.
P The burden of proving intention or negligence of a non-qualified trust service provider shall lie with the natural or legal person claiming the damage referred to in the first subparagraph.
P Where trust service providers duly inform their customers in advance of the limitations on the use of the services they provide, those providers shall not be liable for damages arising from the use of services exceeding the indicated limitations.
ART 5 | Supervisory body
P Member States shall designate a supervisory body established in their territory or, upon mutual agreement with another Member State, a supervisory body established in that other Member State.
P The role of the supervisory body shall be the following:
L to supervise qualified trust service providers established in the territory of the designating Member State;
L to take action if necessary, in relation to non-qualified trust service providers, through ex post supervisory activities.
P Each supervisory body shall submit to the Commission a report on its main activities by 31 March each year.
ART 6 | Entry into force
B This Regulation shall enter into force on the twentieth day following that of its publication in the Official Journal of the European Union.
W This Regulation shall be binding in its entirety and directly applicable in all Member States. Done at Brussels, 23 July 2014.
"""

# A protocol in the CoE manner with "Article N: Title", "(1)" paragraphs, "(aa)" items.
PROTOCOL = """
NAME Additional Protocol on the Transfer of Sentenced Persons
PRE The member States of the Council of Europe, and the other States signatory to this Protocol, desiring to facilitate the application of the Convention on the Transfer of Sentenced Persons, have agreed as follows:
ART 1 | General provisions
P The words and expressions used in this Protocol shall be interpreted within the meaning of the Convention on the Transfer of Sentenced Persons.
P The provisions of the Convention shall be applicable to the extent that they are compatible with the provisions of this Protocol.
ART 2 | Persons having fled from the sentencing State
P Where a national of one Party who is the subject of a sentence imposed in the territory of another Party as a part of a final judgment, seeks to avoid the execution of the sentence in the sentencing State by fleeing to the territory of the former Party before having completed the execution of that sentence, the sentencing State may request the other Party to take over the execution of the sentence.
P At the request of the requesting Party, the requested Party may, prior to the arrival of the documents supporting the request, or pending the decision on that request, arrest the sentenced person, or take any other measure to ensure that the sentenced person remains in its territory, pending a decision on the request.
P The transfer of the execution shall not require the consent of the sentenced person.
ART 3 | Sentenced persons subject to an expulsion or deportation order
P Upon being requested by the sentencing State, the administering State may, subject to the provisions of this article, agree to the transfer of a sentenced person without the consent of that person, where the sentence passed on the latter, or an administrative decision taken as a consequence of that sentence, includes an expulsion or deportation order.
P The administering State shall not give its agreement for the purposes of paragraph 1 before having taken into consideration the opinion of the sentenced person.
P For the purposes of the application of this article, the sentencing State shall furnish the administering State with:
L a declaration containing the opinion of the sentenced person as to his proposed transfer, and
L a copy of the expulsion or deportation order or any other order having the effect that the sentenced person will no longer be allowed to remain in the territory of the sentencing State once he or she is released from prison.
P Any person transferred under the provisions of this article shall not be proceeded against, sentenced or detained with a view to the carrying out of a sentence or detention order, for any offence committed prior to his transfer other than that for which the sentence to be enforced was imposed, except in the following cases:
L when the sentencing State so consents:
I a request for consent shall be submitted, accompanied by the relevant documents and a legal record of any statement made by the convicted person, which shall state:
J the offences for which the person was sentenced and the length of the sentence still to be served; and
J any period of detention already served in the administering State before the request;
I consent shall be given when the offence for which it is requested would itself be subject to extradition under the law of the sentencing State;
L when, having had an opportunity to leave the territory of the administering State, the sentenced person has not done so within forty-five days of his final discharge.
ART 4 | Territorial application
P Any State may, at the time of signature or when depositing its instrument of ratification, acceptance, approval or accession, specify the territory or territories to which this Protocol shall apply.
P Any declaration made under the two preceding paragraphs may, in respect of any territory specified in such declaration, be withdrawn by a notification addressed to the Secretary General.
W In witness whereof the undersigned, being duly authorised thereto, have signed this Protocol. Done at Strasbourg, this 18th day of December 1997, in English and in French.
"""

# A fisheries agreement with centred headings, "1)" paragraphs and nine or more letters
# (so that "h)" is followed by the letter "i)"), inline enumerations and dash items.
FISHERIES = """
NAME Agreement on the Conservation of Straddling Fish Stocks in the Northern Sea
PREAMBLE
PRE The Parties to this Agreement, recognizing the need for effective conservation and management of straddling fish stocks, have agreed as follows:
ART 1 | Use of terms
P For the purposes of this Agreement:
L Convention means the United Nations Convention on the Law of the Sea of 10 December 1982;
L conservation and management measures means measures to conserve and manage one or more species of living marine resources;
L fish includes molluscs and crustaceans except those belonging to sedentary species;
L arrangement means a cooperative mechanism established in accordance with the Convention;
L States Parties means States which have consented to be bound by this Agreement;
L fishing vessel means any vessel used or intended for use for the purposes of the commercial exploitation of fish stocks;
L flag State means the State whose flag a fishing vessel is entitled to fly;
L fishing entity means any entity whose vessels have fished for fish stocks in the area;
L observer means a person authorized by a Party to observe fishing operations;
L port State means the State in whose port a fishing vessel voluntarily calls.
P This Agreement applies mutatis mutandis to any fishing entity whose vessels fish on the high seas.
ART 2 | General principles
P In order to conserve and manage straddling fish stocks, coastal States and States fishing on the high seas shall, in giving effect to their duty to cooperate, adopt measures to ensure long-term sustainability of such stocks and promote the objective of their optimum utilization.
P States shall refrain from threatening (i) persons engaged in lawful fishing activities on the high seas or ^^(ii) a group of vessels flying the flag of another State, and shall settle any such dispute by peaceful means.
P Measures under this article include:
D assessing the impacts of fishing and other human activities on target stocks;
D collecting and sharing, in a timely manner, complete and accurate data concerning fishing activities.
ART 3 | Duties of the flag State
P A State whose vessels fish on the high seas shall take such measures as may be necessary to ensure that vessels flying its flag comply with subregional and regional conservation and management measures.
P Measures to be taken by a State in respect of vessels flying its flag shall include:
L control of such vessels on the high seas by means of fishing licences, authorizations or permits;
L establishment of regulations to apply terms and conditions to the licence sufficient to fulfil any obligations of the flag State;
L requirements for recording and timely reporting of vessel position and catch of target and non-target species.
ART 4 | Review conference
B Four years after the date of entry into force of this Agreement, the Secretary-General of the United Nations shall convene a conference with a view to assessing the effectiveness of this Agreement in securing the conservation and management of straddling fish stocks.
W IN WITNESS WHEREOF, the undersigned Plenipotentiaries, being duly authorized thereto, have signed this Agreement.
"""

# A convention with parts and chapters written in capitals, "Article 5. Title" on one row,
# two annexes numbered I and II.
SPACE = """
NAME Convention on Registration of Objects Launched into Outer Space
DIV part | I | Registration
DIV chapter | 1 | National registries
ART 1 | Definitions
B For the purposes of this Convention:
L the term launching State means a State which launches or procures the launching of a space object, or a State from whose territory or facility a space object is launched;
L the term space object includes component parts of a space object as well as its launch vehicle and parts thereof;
L the term State of registry means a launching State on whose registry a space object is carried in accordance with Article 2.
ART 2 | Registration by the launching State
P When a space object is launched into earth orbit or beyond, the launching State shall register the space object by means of an entry in an appropriate registry which it shall maintain.
P Where there are two or more launching States in respect of any such space object, they shall jointly determine which one of them shall register the object in accordance with paragraph 1 of this article.
DIV chapter | 2 | International register
ART 3 | Information to be furnished
P Each State of registry shall furnish to the Secretary-General of the United Nations, as soon as practicable, the following information concerning each space object carried on its registry:
L name of launching State or States;
L an appropriate designator of the space object or its registration number;
L date and territory or location of launch;
L basic orbital parameters, including:
I nodal period;
I inclination;
I apogee and perigee of the orbit in kilometres;
L general function of the space object.
P Each State of registry may, from time to time, provide the Secretary-General with additional information concerning a space object carried on its registry.
DIV part | II | Final clauses
ART 4 | Signature and ratification
P This Convention shall be open for signature by all States at United Nations Headquarters in New York.
P This Convention shall be subject to ratification by signatory States, and instruments of ratification shall be deposited with the Secretary-General of the United Nations.
ANNEX I | Form of the notification
P The notification referred to in Article 3 shall be made in writing and shall bear the date on which it was prepared.
P It shall set out the information listed in the form below, in the order in which it appears there, and shall be signed by the competent authority.
P Information which is not yet available at the time of the notification shall be supplied as soon as it becomes available.
ANNEX II | Technical parameters
P The basic orbital parameters shall be expressed in kilometres and in minutes, rounded to the nearest tenth.
P Where a space object changes its orbit, the State of registry shall notify the new parameters within sixty days.
"""

# A short US-style executive agreement with centred "ARTICLE" headings and (a) letters.
SCIENCE = """
NAME Agreement on Scientific and Technological Cooperation
PRE The Government of the United States of America and the Government of the Kingdom of Nordland, hereinafter referred to as the Parties, have agreed as follows:
ART 1 | Objectives
P The objective of this Agreement is to strengthen, facilitate and support cooperative activities in fields of common interest where the Parties are conducting research and development.
P Cooperative activities under this Agreement shall be conducted on the basis of mutual benefit, equitable contributions and timely exchange of information.
ART 2 | Forms of cooperation
P Cooperative activities may include:
L exchange of scientific and technological information;
L exchange of scientists, specialists and researchers;
L joint research projects, including:
I research in basic and applied sciences;
I the development of new technologies and their demonstration;
I the organization of joint seminars, conferences and workshops;
L other forms of cooperation as may be mutually agreed.
C The Parties shall encourage the participation of universities, research institutes and private sector entities in such activities.
ART 3 | Executive agents
P The executive agent of this Agreement for the United States shall be the Department of State.
P The executive agents shall meet as necessary to review the implementation of this Agreement and to exchange views on science and technology policy issues.
ART 4 | Intellectual property
B Intellectual property created or furnished under this Agreement shall be allocated as provided in the Annex, which forms an integral part of this Agreement.
ART 5 | Entry into force and termination
P This Agreement shall enter into force upon signature and shall remain in force for ten years.
P Either Party may terminate this Agreement at any time by giving six months written notice to the other Party through diplomatic channels.
ANNEX | Intellectual property
P The Parties shall ensure adequate and effective protection of intellectual property created or furnished under this Agreement.
P Each Party shall ensure that the other Party may obtain the rights to intellectual property allocated to it in accordance with this Annex.
P Rights to intellectual property created in the course of joint research shall be allocated as follows:
L the visiting researcher shall receive rights, awards and royalties in accordance with the policies of the host institution;
L rights not allocated under subparagraph (a) shall be determined by the participants in an implementing arrangement.
W IN WITNESS WHEREOF, the undersigned, being duly authorized by their respective Governments, have signed this Agreement. DONE at Oslo, in duplicate, this fifth day of May, 2015.
SIG FOR THE GOVERNMENT OF THE UNITED STATES OF AMERICA: / FOR THE GOVERNMENT OF THE KINGDOM OF NORDLAND:
"""

STYLES = {
    "coe": Style(
        "coe",
        font="dvs",
        bold="dvsb",
        italic="dvsi",
        size=10,
        leading=13,
        heading="dash",
        para="{}",
        letter="{})",
        item="{})",
        para_text=22,
        para_hanging=True,
        letter_marker=22,
        letter_text=40,
        header="ETS 185 – Information Systems, 23.XI.2001",
    ),
    "icj": Style("icj", heading="bare", para="{}.", letter="{}.", letter_marker=18, letter_text=34),
    "un": Style(
        "un",
        heading="centred",
        title_width=260,
        para="{}.",
        letter="({})",
        item="({})",
        para_text=0,
        letter_marker=22,
        letter_text=46,
        header="UNITED NATIONS TREATY SERIES",
    ),
    "coe_bare": Style(
        "coe_bare",
        font="dvs",
        bold="dvsb",
        italic="dvsi",
        size=10,
        leading=13,
        heading="dash",
        para="{}",
        letter="{}",
        item="{}.",
        para_text=22,
        para_hanging=True,
        letter_marker=22,
        letter_text=40,
    ),
    "us": Style(
        "us",
        heading="upper",
        para="{}.",
        letter="({})",
        item="({})",
        further="upper",
        roman_articles=True,
        division_case="upper",
        letter_marker=24,
        letter_text=48,
    ),
    "oj": Style(
        "oj",
        columns=2,
        size=9,
        leading=11.5,
        margin=50,
        heading="centred",
        para="{}.",
        letter="({})",
        item="({})",
        para_text=0,
        letter_marker=0,
        letter_text=20,
        step=20,
        header="L 257/73 EN Official Journal of the European Union 28.8.2014",
    ),
    "coe_colon": Style(
        "coe_colon",
        heading="colon",
        para="({})",
        letter="({})",
        item="({})",
        further="double",
        para_text=24,
        para_hanging=True,
        letter_marker=24,
        letter_text=46,
    ),
    "un_paren": Style(
        "un_paren",
        heading="centred",
        para="{})",
        letter="{})",
        item="({})",
        letter_marker=20,
        letter_text=38,
        header="A/CONF.164/37",
    ),
    "dot": Style(
        "dot",
        font="dvs",
        bold="dvsb",
        italic="dvsi",
        size=10,
        leading=13,
        heading="dot",
        para="{}.",
        letter="({})",
        item="{}.",
        division_case="upper",
        para_text=20,
        para_hanging=False,
        letter_marker=20,
        letter_text=40,
    ),
    "un_flush": Style(
        "un_flush",
        heading="centred",
        para="{}.",
        letter="({})",
        item="({})",
        letter_marker=36,
        letter_text=60,
        hanging_lists=False,
        header="UNITED NATIONS",
    ),
    "left": Style(
        "left",
        font="dvs",
        bold="dvsb",
        italic="dvsi",
        size=10,
        leading=13,
        heading="left",
        para="{}.",
        letter="({})",
        item="({})",
        para_text=0,
        letter_marker=20,
        letter_text=42,
    ),
    "story_block": Style(
        "story_block",
        story=True,
        heading="centred",
        para="{}.",
        letter="({})",
        item="({})",
        letter_marker=28,
        letter_text=50,
        step=28,
        lists_wrap_to_marker=True,
        header="Treaty Series",
    ),
    "story_hanging": Style(
        "story_hanging",
        story=True,
        font="dvs",
        bold="dvsb",
        italic="dvsi",
        size=10,
        heading="dash",
        para="{}",
        letter="{})",
        item="{})",
        para_text=24,
        para_hanging=True,
        letter_marker=24,
        letter_text=44,
    ),
    "us_exec": Style(
        "us_exec", heading="upper", para="{}.", letter="({})", item="({})", letter_marker=30, letter_text=54
    ),
}

CORPUS: list[tuple[str, str, Style]] = [
    ("cyber-coe", CYBER, STYLES["coe"]),
    ("statute-icj", STATUTE, STYLES["icj"]),
    ("constitution-un", CONSTITUTION, STYLES["un"]),
    ("labour-coe-bare", LABOUR, STYLES["coe_bare"]),
    ("bilateral-us", BILATERAL, STYLES["us"]),
    ("regulation-oj", REGULATION, STYLES["oj"]),
    ("protocol-coe-colon", PROTOCOL, STYLES["coe_colon"]),
    ("fisheries-un-paren", FISHERIES, STYLES["un_paren"]),
    ("space-dot", SPACE, STYLES["dot"]),
    ("science-us", SCIENCE, STYLES["us_exec"]),
    ("cyber-oj", CYBER, STYLES["oj"]),
    ("constitution-coe", CONSTITUTION, STYLES["coe"]),
    ("statute-un-flush", STATUTE, STYLES["un_flush"]),
    ("bilateral-un-flush", BILATERAL, STYLES["un_flush"]),
    ("labour-left", LABOUR, STYLES["left"]),
    ("cyber-story-block", CYBER, STYLES["story_block"]),
    ("protocol-story-block", PROTOCOL, STYLES["story_block"]),
    ("cyber-story-hanging", CYBER, STYLES["story_hanging"]),
    ("fisheries-story-hanging", FISHERIES, STYLES["story_hanging"]),
    ("regulation-left", REGULATION, STYLES["left"]),
]
