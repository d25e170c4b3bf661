"""Word lists the argument reader (``event_arguments``) judges participants by.

Which head nouns name one office holder, a crowd of civilians, a unit of soldiers or a
body known by who leads, runs or owns it. Kept apart from the reading itself so that a
newcomer can extend a list without reading the parse code.
"""

from __future__ import annotations

# Nouns for one person in an office: "the head of X" is a person acting for X.
ROLE_NOUNS = frozenset(
    {
        "head",
        "chief",
        "leader",
        "commander",
        "minister",
        "ambassador",
        "envoy",
        "president",
        "director",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "representative",
        "member",
        "members",
        "delegation",
        "official",
        "officials",
        "secretary",
        "chair",
        "chairman",
        "deputy",
        "general",
        "counterpart",
        "premier",
        "governor",
        "officer",
        "officers",
    }
)
INSTRUMENTS = frozenset({"truck", "trucks", "tractor", "tractors", "roadblock", "roadblocks"})
# People the event lexicon's sector nouns leave out: the targets of arrests and attacks
# and the crowds of protests ("police arrested a suspect", "a driver ploughed into ...").
PEOPLE_SECTORS = {
    **dict.fromkeys(
        ["suspect", "suspects", "driver", "drivers", "activist", "activists", "believer",
         "believers", "supporter", "supporters", "follower", "followers", "woman", "women",
         "teenager", "teenagers", "person", "persons", "individual", "individuals",
         "passenger", "passengers", "pilgrim", "pilgrims", "worshipper", "worshippers",
         "fan", "fans", "associate", "associates", "relative", "relatives", "pensioner",
         "pensioners", "voter", "voters", "hostage", "hostages", "migrant", "migrants",
         "refugee", "refugees", "victim", "victims"],
        "CVL",
    ),
    **dict.fromkeys(
        ["priest", "priests", "bishop", "bishops", "monk", "monks", "nun", "nuns", "clergy",
         "cleric", "clerics", "imam", "imams", "church", "diocese", "monastery"],
        "REL",
    ),
    # Hackers act, whoever they work for (the guide's sector UNK unless a state is named).
    **dict.fromkeys(
        ["hacker", "hackers", "hacktivist", "hacktivists", "cybercriminal", "cybercriminals"],
        "UNK",
    ),
}  # fmt: skip
# Heads whose "of" phrase belongs to the name as written ("dozens of people").
QUANTITIES = frozenset(
    {"dozen", "dozens", "hundreds", "thousands", "tens", "scores", "number", "group", "one",
     "some", "many", "most", "several", "all", "few", "hundred", "thousand", "millions"}
)  # fmt: skip
# People known by what they do, who act for whoever they come from ("experts from the
# FBI", "instructors from the U.S. Justice Department").
SENT_PEOPLE = frozenset(
    {"expert", "instructor", "trainer", "specialist", "adviser", "advisor", "mentor",
     "investigator", "inspector", "observer", "monitor", "technician", "consultant"}
)  # fmt: skip
# Plural agent nouns the lexicon may not know ("controllers", "specialists"): people.
# Not "organisations from Serbia, Kosovo and Albania", which the guide leaves unplaced.
AGENT_ENDINGS = ("ers", "ors", "ists", "ants", "ians")
# Bodies a leader's name says whose they are: "Kurti's government", "Dodik's party".
LED_BODIES = frozenset(
    {"government", "cabinet", "administration", "party", "coalition", "ministry", "office"}
)  # fmt: skip
# "NATO-led", "EU-led", "U.S.-led": the second half of a leader's modifier.
LED_BY = frozenset({"led", "commanded"})
# The second half of "Serbian-run offices", "the Chinese-owned platform": whose they are.
RUN_BY = frozenset(
    {"run", "owned", "controlled", "operated", "funded", "financed", "backed", "managed"}
)  # fmt: skip
COLLECTIVES = frozenset(
    {"group", "team", "delegation", "contingent", "number", "dozen", "dozens", "unit",
     "hundreds", "thousands", "tens", "scores", "crowd", "crowds",
     # "a battalion of about 500 Turkish commandos", "a company of Slovak soldiers"
     "battalion", "company", "platoon", "brigade", "squad", "detachment", "regiment",
     "squadron", "convoy", "column"}
)  # fmt: skip
