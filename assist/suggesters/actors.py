"""ACTOR: named people, organisations, governments, companies and acting countries.

The capitalised runs of the text (`assist.names`) are read in turn, best reading first:
- a gazetteer name: a country, continent or capital (pycountry plus news short forms) or an
  organisation (hand list). A country is an actor unless it stands as a place, after a place
  preposition ("in Canada", "exports to the U.S.", "the heart of Europe"), as an economy
  ("China accounted for 13% of revenue"), where goods come from or go, or owning no
  political thing ("Germany's largest union"; `is_place_use`): the guide's "Canada is in
  advanced talks" acts, "across the vast country" is a place;
- a title and a name ("Prime Minister Mark Carney", "U.S. Secretary of State Marco Rubio"):
  the whole run, since the guide takes a title standing next to the name, and the lower-case
  title phrase before it with its organisation ("EU antitrust chief Teresa Ribera"); an "of"
  after the name starts another name ("Justice Paula Mendes of the Ontario Superior Court");
- any other run of two or more words ("Lockheed Martin Corp.", "Bank of Canada"), unless it
  ends like a place, event or document ("Wall Street", "Canada Day", "Defence Policy
  Update"), is a place only ("Middle East") or holds only nationality words;
- one capitalised word inside a sentence that no list explains ("Volkswagen", "Wawa"), or a
  surname or short company name the text gave in full before ("Carney", "Rogers");
- a body named by a proper adjective: "the Russian defence ministry", "the Canadian
  government", "the Trump administration".

"the" before a name that carries it is in the span ("the European Union", "The Kremlin",
"the United States"), except before a possessive ("the EU's rules" gives "EU"). Never
proposed: a name used as a modifier ("U.S. investment firm", "a Meta spokesperson"), a
dateline and its credit ("OTTAWA (Reuters) -", "Paris (AFP) -", "(Bloomberg) --": the agency
credits the story, it does not act in it) or reporting credits and The Canadian Press's
closing tagline, a nationality adjective ("European"), a common word opening a sentence, a
hyphenated compound ("U.S.-made"). No actor is nested in another.
"""

import re
from bisect import bisect_left
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from ..candidates import ACTOR, Candidate
from ..gazetteers import listing
from ..gazetteers.countries import country_names, region_names
from ..gazetteers.organisations import CAPITALS, ORGANISATIONS
from ..gazetteers.words import (
    COMPANY_SUFFIXES,
    DAYS,
    GENERIC_INFORMANTS,
    MONTHS,
    NATIONALITIES,
    NOT_ACTOR_HEADS,
    ORGANISATION_HEADS,
    PLACE_FIRST_WORDS,
    PLACES,
    TITLE_HEADS,
    TITLES,
)
from ..names import DATELINE, Run, analysis_runs
from ..reading import passed_over
from ..registry import SuggestContext, register
from ..text import Analysis

SCORES = {"gazetteer": 0.9, "titled": 0.85, "body": 0.8, "name": 0.6, "alias": 0.7, "word": 0.5}
# A country or capital right after one of these is a place, not an acting party.
PLACE_PREPOSITIONS = listing(
    "in|across|throughout|inside|within|around|into|through|near|at|outside|via|along|"
    "visit|visits|"
    "visited|visiting|to|toward|towards|of|across|leave|left|leaving|fled|flee|fleeing"
)
# What a capital owns as a city, not as a government: "Ottawa's streets", "Beijing's air".
CITY_POSSESSION = re.compile(
    r"['’]s?(?: [\w-]+)?? (?:streets|suburbs|downtown|airport|airports|neighbourhoods|"
    r"neighborhoods|air|residents|skyline|river|port|subway|traffic|hospitals|restaurants|"
    r"population|people|citizens|outskirts|centre|center|old town|districts?|borders|"
    r"coastline|territory)\b"
)
# Leaving a union is leaving its membership, not a place: "Britain left the EU"; and what
# leaves someone something is no journey: "the science left Ottawa little room".
LEAVING = listing("leave|leaves|left|leaving")
LEFT_WITH = re.compile(
    r" (?:little|no|few|much|more|less|with|without|room|alone|isolated|exposed|unable|free)\b"
)
# Where goods or people are headed is a place: "bound for India and China".
HEADED_FOR = re.compile(r"\b(?:bound|destined|headed|heading) for (?:the )?$")
# Where a visit or a move goes: "a visit to The Hague", "will move to Little Rock", "the
# relocation of the Columbus Comets to Salt Lake City".
MOVED_TO = re.compile(
    r"\b(?:visit|visits|trip|trips|journey|move|moves|moving|moved|relocate|relocates|"
    r"relocated|relocating|relocation)(?: of [^.,;:\n]{1,40})? to (?:the )?$"
)
# Any other name after one of these is a place too ("in Abu Dhabi").
NAME_PLACE_PREPOSITIONS = listing("in|across|throughout|inside|near|outside|around|into|via|along")
# A single unexplained word after these is a place or a platform ("on Telegram").
WORD_PLACE_PREPOSITIONS = NAME_PLACE_PREPOSITIONS | {"on", "at"}
BORDER = re.compile(r"\b(?:border|borders|frontier) (?:with|of|from) $")
# "in Antalya, Turkey": a country after a place, in apposition, is a place too.
PLACE_APPOSITION = re.compile(
    r"\b(?:in|at|near|from|to|of|through|outside|via|left|leaving) [A-Z][\w.-]*"
    r"(?: [A-Z][\w.-]*)*, $"
)
# A compass adjective before a country names a region of it ("eastern Congo", "central
# Mali"): a place. Lower case only: "North Korea" and "South Sudan" are countries.
REGION_OF = re.compile(
    r"(?<![\w-])(?:(?:north|south)-?(?:east|west)?ern|eastern|western|central|rural|urban|"
    r"coastal|regional|neighbouring|neighboring|downtown|mainland|"
    r"(?:north|south)-?(?:east|west)) $"
    # A point off it by a compass direction: "40 kilometres east of Halifax".
    r"|(?<![\w-])(?:north|south|east|west|(?:north|south)-?(?:east|west))(?:ern)? of (?:the )?$"
)
# Nouns of holding or trading before "in": "shares in Hanil", "stakes in Shell and BP".
HOLDING_IN = re.compile(
    r"\b(?:shares?|stakes?|investments?|interests?|holdings?|traded|trading|invest|invested|"
    r"investing|money|role|seats?) (?:in|into) (?:the )?$",
    re.IGNORECASE,
)
# Where reporters are told something is a place: "told reporters at Queen's Park".
REPORTERS_AT = re.compile(r"\b(?:reporters|journalists) (?:at|in|outside) (?:the )?$")
# A name after "the town of" is the town: "near the town of Grindavik"; so is one whose
# people are meant: "the people of Veneto spoke with one voice".
TOWN_OF = re.compile(
    r"\b(?:town|towns|village|villages|hamlet|island|port|district|suburb|resort|region|"
    r"canton|county|prefecture|people|residents|citizens|voters) of $"
)
# A route names places: "cargoes from Rotterdam to Basel", "from Halifax to Jacksonville".
ROUTE_FROM = re.compile(r"\bfrom (?:the )?$")
ROUTE_TO_NAME = re.compile(r" to (?:the )?[A-Z]")
ROUTE_FROM_NAME = re.compile(
    r"\bfrom (?:the )?[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3} to (?:the )?$"
)
# What a place holds as a place, named: "Winnipeg's Red River Stadium", "France's southern
# Gard department".
NAMED_SITE = re.compile(
    r"['’]s?(?: (?:north|south|east|west|central)[\w-]*)?(?: [A-Z][\w'’.-]*){1,4} "
    r"(?:Stadium|Arena|Airport|Harbour|Harbor|Station|Bridge|Square|Mall|department|region|"
    r"province|district|county|prefecture|canton)\b"
)
# Where goods come from or go is a place: "imports from China", "Oil from Saudi Arabia",
# "its electricity in winter, mostly from France", "power, mostly to Italy", "30% of its
# revenue from China".
GOODS_FROM = re.compile(
    r"\b(?:imports?|exports?|shipments?|goods|products|cargo|freight|containers|tankers|"
    r"oil|crude|gas|LNG|electricity|power|"
    r"steel|aluminum|aluminium|lumber|canola|beef|pork|grain|wheat|cars|vehicles|parts|chips|"
    r"phones|seed|fertiliser|fertilizer|uranium|cobalt|nickel|copper|coal|supply|supplies|"
    r"revenue|revenues|sales|income|earnings|students|migrants|refugees|immigrants|tourists|"
    r"visitors|flights|panels|stock|cattle|megawatts|gigawatts|equipment|arms|weapons|vaccines|"
    r"doses|medicines|ship|shipped|shipping|bought|buying|imported|exported|importing|"
    r"exporting|sourced|cargoes|shrimp|fish|seafood|fishmeal|meat|rice|sugar|coffee|cocoa|"
    r"wine|cheese|dairy|fruit|timber|tiles|cells|batteries|ore|minerals|samples|ingredients?|"
    r"extrusions|antibiotics?|drugs|textiles|garments|arrivals|bookings|flows|soyoil)\b"
    r"(?:,? [\w%$.,-]+){0,4},? (?:from|to) (?:the )?$"
    # What was just named comes from there: "2.2 million tonnes of fertiliser last year,
    # much of it from Russia".
    r"|\b(?:much|most|some|all|half|part|many) of (?:it|them) (?:from|to) (?:the )?$"
    # Buyers and bidders where they come from: "a pension fund from Canada".
    r"|\b(?:fund|funds|investors|companies|firms|buyers|bidders|athletes|players|rowers|"
    r"swimmers|skiers|skaters|runners|cyclists|competitors|farmers|workers|fishermen|fishers|"
    r"residents|families|people|passengers) from (?:the )?$"
    # Where someone or something sets out or speaks from: "setting out from Mauritania",
    # "by phone from Brussels", "in a televised address from Gaborone".
    r"|\b(?:setting out|set out|sailing|sailed|departing|departed|arriving|arrived|flying|"
    r"flown|travelling|traveling|returning|returned|by phone|by video|by videolink|address|"
    r"broadcast|run|operated|posted) from (?:the )?$",
    re.IGNORECASE,
)
# Where traffic or a border runs: "flights to and from Italy", "a strip of forest between
# Belarus and Latvia", "the main route between B.C. and Alberta".
PLACES_BETWEEN = re.compile(
    r"\bto and from (?:the )?$|\b(?:forest|border|borders|strip|area|zone|corridor|route|"
    r"routes|road|roads|railway|pipeline|bridge|waters|sea|strait|flights|ferry|ferries|"
    r"commute|commutes|crossing|crossings|distance|trip|trips|journey|journeys|train|trains|"
    r"line|link|links|highway|fare|fares|tunnel|Tunnel)(?: [\w-]+){0,2} between (?:the )?$"
    # What flows between them, not a deal that binds them: "Two-way trade between South
    # Korea and ...", "freight rates between Scandinavia and Germany".
    r"|\b(?:trade|commerce|rates|prices|traffic) between (?:the )?$"
    # Where an aircraft flies: "a test flight over Quebec", "flights over France".
    r"|\b(?:flight|flights|flying|flew|flown|airspace) over (?:the )?$"
    # Where something lies: "a country of 2.4 million people wedged between Ukraine and".
    r"|\b(?:wedged|sandwiched|located|situated|lying|lies|lie|sits|sit) between (?:the )?$"
    # Places named as places: "franchises in cities including London, Paris and Berlin".
    r"|\b(?:cities|towns|capitals|countries|markets|places|ports|provinces|states|regions) "
    r"(?:including|such as|like) (?:the )?$"
)
# "a great day for Quebec" (the guide): the name is where the day is good, not who acts;
# so is the country an envoy or an appeal is for: "the U.N. special envoy for Myanmar", "an
# aid appeal for Congo".
DAY_FOR = re.compile(
    r"\b(?:day|good|better|best|bad|worse|worst|envoy|envoys|mediator|mediators|rapporteur|"
    r"coordinator|appeal|appeals) for (?:the )?$"
)
# A country buying or selling a volume of goods is a market: "China bought about 2.7
# million tonnes of canola".
TRADES_A_VOLUME = re.compile(
    r" (?:(?:has|have|had) (?:(?:only|just|already) )?)?"
    r"(?:bought|buys|buy|sold|sells|sell|purchased|purchases|imported|exported)"
    r"(?: (?:about|nearly|some|roughly|almost|over|more than|less than|up to|only|just))?"
    r" [\d.,]+"
    r"(?: (?:thousand|million|billion))? (?:metric )?(?:tonnes|tons|barrels|bushels|cubic|"
    r"kilograms|pounds|units|head)\b"
)
# A country holding, making or buying a share of a world's or its own goods is an economy:
# "Morocco holds roughly 70% of the world's known reserves", "Spain buys about 30% of its
# gas", "Australia is usually among the world's top four wheat exporters", "Iraq is among
# the countries most exposed".
HOLDS_A_SHARE = re.compile(
    r" (?:(?:still|now|already|also|usually) )?(?:holds|has|controls|produces|supplies|grows|"
    r"mines|buys|imports|exports|gets|sources|consumes)"
    r"(?: (?:about|nearly|some|roughly|almost|over|more than|less than|up to|only|just))?"
    r" (?:[\d.,]+ ?(?:%|percent|per cent)|a third|a quarter|a fifth|half|two-thirds|"
    r"three-quarters) of (?:the world['’]s|global|its|world)\b"
    # Or of another's exports, or of a trade's volume: "China buys about 80% of Peru's
    # fishmeal exports", "with China taking nearly 70 percent of the volume".
    r"| (?:(?:still|now|already|also|usually) )?(?:takes|took|taking|buys|bought|buying|"
    r"imports|imported|importing|holds|holding|gets|got|getting|receives|received|receiving)"
    r"(?: (?:about|nearly|some|roughly|almost|over|more than|less than|up to|only|just))?"
    r" (?:[\d.,]+ ?(?:%|percent|per cent)|a third|a quarter|a fifth|half|two-thirds|"
    r"three-quarters) of (?:[A-Z][\w.-]*(?: [A-Z][\w.-]*)*['’]s?|the volume|the total|"
    r"the market|all|those|these|them)\b"
    r"| (?:is|was|are|remains)(?: (?:usually|now|still|already|also))? among the "
    r"(?:world['’]s|countries|nations|largest|biggest|top)\b"
)
# After an apposition that ends with a comma: the name then speaks or decides, so it acts
# ("Switzerland, home to drugmakers Roche and Novartis, said").
THEN_SPEAKS = (
    r"(?! (?:\w+ ){0,2}(?:said|says|told|announced|warned|urged|called|threatened|agreed|"
    r"signed|rejected|accused|denied|vowed|pledged|demanded|insisted)\b)"
)
# "Greenland, home to 57,000 people": a place, unless it then speaks. The apposition holds
# anything but the comma that closes it ("57,000" keeps its comma).
HOME_TO = re.compile(r", home to (?:[^,.;:\n]|,\d){1,80}(?:,(?= )" + THEN_SPEAKS + r"|[.;])")
# A country said to be a market or a producer is an economy: "India is now our
# fastest-growing market", "He called India “the most important growth market”".
IS_AN_ECONOMY = re.compile(
    r" (?:(?:is|was|remains|became|has become|has been|is now|was once|will be|would be) "
    r"(?:now |still |already )?[\"“‘']?|[\"“‘'])"
    r"(?:our|the|a|an|its|their|his|her|[A-Z][\w.&-]*(?: [A-Z][\w.&-]*)*['’]s?)"
    r"(?:\b|(?<=['’]))[^.,;:\n]{0,40}?\b(?:market|producer|exporter|"
    r"importer|supplier|destination|customer|buyer|economy|place|jurisdiction|gateway|hub)\b"
    # A country that needs goods is a market: "the ships Canada needs", "Germany needs the
    # fuel"; not one that needs to act ("Ottawa needs to decide").
    r"| (?:(?:still|also|now) )?(?:needs|will (?:still )?need)\b(?! to\b)"
    # In apposition or a relative clause, then trading or producing: "The Philippines, the
    # world's biggest rice importer, bought", "Indonesia, which mines more than half of the
    # world's nickel, has doubled output"; not "Saudi Arabia, the biggest exporter, said" nor
    # "Russia, the group's second-largest producer, backed the increase".
    r"|, (?:(?:the world['’]s|the|a|an|its|our)\b[^.,;:\n]{0,40}?\b(?:market|producer|"
    r"exporter|importer|supplier|consumer|economy)|which (?:still |now |already |also )?"
    r"(?:imports|exports|supplies|produces|consumes|ships|mines|refines|generates|pumps|burns|"
    r"processes|buys|sells)\b(?:[^.,;:\n]|,\d){0,80}),(?= )"
    + THEN_SPEAKS
    + r"(?=[^.;:\n]{0,40}\b(?:accounts|accounted|bought|buys|sold|sells|imported|imports|"
    r"exported|exports|shipped|"
    r"ships|produced|produces|mined|mines|supplied|supplies|consumed|consumes|burned|burns|"
    r"output|production|sales|shipments|purchases|demand)\b)"
)
# A country that has a count of things is a place they are in: "Germany still has more than
# 670 cooperative banks"; not a time it has to act ("Canada has 30 days to respond").
HAS_A_COUNT = re.compile(
    r" (?:(?:still|now|already|also) )?(?:has|had|have)"
    r"(?: (?:about|nearly|some|roughly|almost|over|more than|fewer than|less than|at least))?"
    r" [\d.,]+(?: (?:thousand|million|billion))? (?!(?:days|weeks|months|years|hours)\b)"
    r"[a-z]"
)
# The names before "and"/"or" joined to the one that follows ("North Dakota and ",
# "France, Germany and "); the conjuncts share a preposition before the first. A comma before
# "and" after a single name joins clauses, not names ("in March, and Ottawa responded").
NAMES = r"[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*)*"
COORDINATED = re.compile(
    rf"(?<![\w.’'-])(?:the )?{NAMES}(?:(?:, (?:the )?{NAMES})+,?)? (?:and|or) (?:the )?$"
)
# A name inside a list: names and commas before it, and the list going on after it.
LISTED_BEFORE = re.compile(rf"(?<![\w.’'-])(?:the )?{NAMES}(?:, (?:the )?{NAMES})*, (?:the )?$")
LIST_GOES_ON = re.compile(r",? (?:(?:and|or) )?(?:the )?[A-Z]")
# Prepositions that make places of every name they govern, coordinated ones too ("to" and
# "of" also introduce recipients and members: "the leaders of France and Germany").
LOCATIVES = listing("in|across|throughout|inside|within|near|outside|around|into|at")
CONTINENTS = listing("Europe|Asia|Africa|North America|South America|Latin America")
# Unions of countries that are a territory as well as a body: "sell in the EU" is a place.
TERRITORIAL_ORGANISATIONS = listing("European Union|EU|E.U.")
# What a possessive country has when it acts as a polity ("Canada's new leader", "China's
# ambassador", "Quebec's secularism law"); other possessions make it a place ("Germany's
# largest union", "Canada's dairy farmers"). Matched on the lower-cased words after "'s".
POLITICAL_POSSESSIONS = listing(
    "leader|leaders|leadership|government|governments|administration|regime|cabinet|"
    "president|presidency|premier|governor|mayor|minister|ministers|ministry|ministries|"
    "chancellor|king|senator|senators|attorney|prosecutors|"
    "parliament|legislature|senate|congress|lawmakers|officials|diplomats|diplomacy|"
    "ambassador|ambassadors|envoy|envoys|embassy|consulate|delegation|negotiators|negotiator|"
    "army|military|troops|forces|navy|guard|coastguard|defence|defense|intelligence|spy|police|"
    "regulator|regulators|watchdog|central|agency|agencies|court|courts|judiciary|"
    "law|laws|legislation|constitution|rules|tariffs|tariff|duties|levies|sanctions|ban|"
    "quota|quotas|terms|restrictions|curbs|controls|policy|policies|budget|stance|position|"
    "positions|offer|proposal|proposals|plan|"
    "plans|demands|demand|decision|response|retaliation|counter-tariffs|strategy|bid|move|"
    "pledge|commitment|commitments|veto|threat|threats|warning|allies|ally|partners|"
    "foreign|relations|election|elections|vote|referendum|ruling|opposition|"
    "prime|secretary|spokesperson|spokesman|spokeswoman|representative|mission|claim|claims|"
    "war|invasion|attack|attacks|offensive|aggression|annexation|occupation|blockade|embargo|"
    "missile|missiles|diplomat|department|departments|authorities|sovereignty|approach|force|"
    "interests|negotiating|recognition|withdrawal|support|aid|commissioner|commissioners|"
    "ombudsman|brigade|brigades|soldiers|generals|commander|commanders|signature|"
    "consent|approval|backing|blessing|permission|objection|objections|request|requests|cap|"
    "debt|debts|bonds|bond|deficit|borrowing|borrowings|loan|loans|rating|ratings|"
    "caps|adviser|advisers|advisor|advisors|authority|levy|pledges|officer|officers|"
    "allocation|allocations|council|creditors|creditor"
)
# Words naming a fund, which a country's possessive owns as a place does (holdout8's writers:
# "a state-owned fund is a place").
FUND_WORDS = listing("Pension|Pensions|Investment|Investments|Wealth|Fund|Funds")
# Capitalised words naming a body of the state or a law, after a country's possessive.
STATE_BODIES = listing(
    "Ministry|Department|Parliament|Senate|Congress|Assembly|Cabinet|Government|"
    "Administration|Court|Commission|Council|Agency|Bureau|Office|Authority|Board|Army|Navy|"
    "Forces|Force|Guard|Police|Command|Embassy|Mission|Treasury|Act|Law|Code|Charter|"
    "Constitution|Tribunal|Legislature|Duma|Knesset|Bundestag|Diet|Central|Headquarters|"
    "Directorate|Inspectorate|Service|Services|Secretariat|Committee|Prosecutor|Ombudsman|"
    "House|Chiefs|Corps"
)
# The possessed noun phrase after "'s": up to four words, read up to a stop word or verb.
POSSESSION = re.compile(r"['’]s?((?: [\w%$-]+){1,4})")
# A capitalised name after "'s", with its abbreviations ("Russia's U.N. Ambassador").
POSSESSED_NAME = re.compile(r"['’]s?( [A-Z][\w.&’'-]*(?: (?:[A-Z][\w.&’'-]*|of|and|for|the)){0,4})")
# Countries written with "the" ("the United States"); others never take it.
THE_COUNTRIES = listing(
    "United States|U.S.|US|United Kingdom|U.K.|UK|United Arab Emirates|UAE|Netherlands|"
    "Philippines|Bahamas|Gambia|Maldives|Czech Republic|Dominican Republic|"
    "Central African Republic|Democratic Republic of Congo|Democratic Republic of the Congo|"
    "Vatican|Holy See"
)
# Adverbs of time that spaCy's stop words lack (it has "again", "already", "then", "now").
TIME_ADVERBS = listing(
    "later|soon|today|yesterday|tonight|tomorrow|earlier|instead|twice|overnight|afterwards"
)
# Nouns ending in "-ly", so no adverbs: "a Canada Post family".
NOUNS_IN_LY = listing("family|supply|assembly|rally|ally|monopoly|anomaly|reply|belly|bully")
# Verbs that follow an acting name in news copy without being stop words or "-ed" forms.
VERBS = listing(
    "says|said|wants|plans|faces|needs|hopes|expects|imposes|argues|insists|warns|claims|"
    "denies|seeks|remains|becomes|agrees|opposes|supports|accuses|threatens|urges|calls|"
    "sends|holds|makes|takes|gives|keeps|joins|leads|launches|meets|rejects|signs|buys|sells|"
    "owns|pays|spends|told|tells|wrote|writes|added|adds|announced|announces|agreed|asked|"
    "won|lost|rose|fell|struck|sought|spoke|met|began|chose|set|cut|hit|led|left|put|ran|"
    "sold|bought|said|should|may|might|must|can|could|would|will|has|have|had|is|was|are|were|"
    "held|kept|made|took|gave|sent|spent|paid|brought|built|found|got|grew|knew|saw|thought|"
    "went|came|became|drew|froze|shut|stood|broke|beat|backed|hopes|vows|vowed|withheld|upheld|"
    "overrode|forbade|swore|fought|sank|shot|meant|lent|bid|quit|split|spread|wound|goes|"
    "does|decides|refuses|tries|fails|chooses|continues|allows|considers|believes|knows|"
    "thinks|retaliates|responds|reacts|wishes|intends|prefers|proposes|manages|appears|seems|"
    "aims|pledges|promises|prepares|struggles"
)
# Capitalised words that name no actor: feasts, topics, abbreviations of things.
NOT_NAMES = listing(
    "AI|GDP|TV|Internet|Covid|COVID|Christmas|Easter|Ramadan|Thanksgiving|Hanukkah|Diwali|"
    "Brexit|Olympics|Bible|Koran|Quran|God|Allah|Earth|Moon|Sun|OK|Mr|Mrs|Ms|Dr|GMT|UTC|EST|"
    "EDT|CST|CDT|PST|PDT|CET|CEST|BST"
)
# Verbs by which a sentence-initial word shows itself a name: "Rogers said", not "Turnout was".
REPORTING_VERBS = listing(
    "said|says|told|announced|confirmed|reported|added|agreed|warned|denied|declined|stated|"
    "wrote|argued|insisted|acknowledged|disclosed|unveiled|launched|delivered|posted|plans"
)
UP_TO = re.compile(r"\bup to (?:the )?$")
# A "to" after a verb or noun of turning to someone names who is addressed, not where:
# "referring to the United States", "Bamako has turned to Russia", "a message to Ottawa".
ADDRESSED_TO = re.compile(
    r"\b(?:referring|referred|turned|turning|appealed|appealing|wrote|written|writing|spoke|"
    r"speaking|"
    r"talked|talking|responded|responding|replied|replying|objected|objecting|pleaded|"
    r"pleading|complained|complaining|apologised|apologized|lost|losing|reached out|message|"
    r"messages|letter|letters|signal|appeal|request|plea|ultimatum|apology|reply|response|gift|"
    r"gifts|concession|concessions|promise|pledge|pledges|threat|threats|belongs|belong|"
    r"loan|loans|lender|lenders|financing|grant|grants|credit|credits|aid|"
    r"belonged|commitment|commitments|obligation|obligations) to "
    r"(?:the )?$"
)
# Verbs of which a country is the subject as an economy, a place that trades or produces, not
# as a polity: "China accounted for 13% of revenue" (the guide), "Congo supplies about 70% of
# the world's cobalt", "Switzerland imports a tenth of its power".
ECONOMY_VERBS = listing(
    "imports|imported|exports|exported|supplies|supplied|produces|produced|accounts|"
    "accounted|consumes|consumed|ships|shipped|mines|mined|refines|refined|generates|"
    "generated|pumps|pumped|burns|burned|burnt|processes|processed"
)
ADVERBS_BEFORE_VERB = listing("still|now|already|also|currently|mostly|largely|alone|itself")
# Words after which "that" opens a clause whose verb is bare: "a demand that China commit".
MANDATIVE_THAT = re.compile(
    r"\b(?:demand|demanded|demands|demanding|insist|insisted|insists|require|required|"
    r"requires|requirement|condition|recommend|recommended|recommends|urge|urged|urges|propose|"
    r"proposed|proposal|ask|asked|asks|order|ordered|orders|rule|ruled)\b(?: [\w-]+){0,2} "
    r"that (?:the )?$"
)
# Words that open a subordinate clause, whose subject a name after them may be.
SUBORDINATORS = listing(
    "as|while|which|that|because|after|before|until|since|when|whenever|where|if|unless|"
    "though|although|whereas|once"
)
# Verbs after which a name is the subject of a bare verb ("help Ottawa reach the target").
CAUSATIVES = listing("help|helps|helped|helping|let|lets|letting|make|makes|made|making")
# What starts a verb's object: a capitalised word, a number, or a pronoun or determiner.
OBJECT_AFTER = re.compile(
    r"[ \t]+([A-Z][\w.’'-]*|[$€£]?\d[\d.,]*|it|its|them|their|his|her|him|us|our|the|a|an|"
    r"this|that|these|those|some|all|every|no|most|more|about|nearly|almost)\b"
)
PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[ \t]+(?:the[ \t]+)?$")
NEXT_WORD = re.compile(r"[ \t]+([a-z][a-z-]*)")
# Reporting credits, and The Canadian Press's tagline ("This report by The Canadian Press was
# first published March 27, 2026."), which credit the story as a dateline does.
CREDITS = re.compile(
    r"\((?:Reporting|Writing|Editing|Additional reporting|By)\b[^)]*\)"
    r"|This report by The Canadian Press was first published[^\n]*"
    # An agency's sign-off on a line of its own: "— The Canadian Press".
    r"|(?m:^[ \t]*[—–-]+[ \t]*(?:The Canadian Press|The Associated Press|Reuters|AFP|AP|Bloomberg)"
    r"[ \t]*$)"
)
POSSESSIVE = re.compile(r"['’]s?\b")
# A determiner or possessive right before a name makes an "-ing" word after it a noun that
# the name modifies ("the Ottawa meeting", "its Dresden training centre"); with none, the
# name is the participle's subject ("with Paris accusing Berlin", "for Britain taking in").
DETERMINED = re.compile(
    r"(?:(?<![\w-])(?:[Tt]he|an?|its|their|his|her|our|this|that|these|those|whose)|['’]s?) $"
)
# Lower-case title words before a name ("EU antitrust chief Teresa Ribera"), and the
# capitalised organisation before them.
TITLE_WORDS = (
    "leader|chief|executive|spokesperson|spokesman|spokeswoman|minister|president|secretary|"
    "chair|chairman|chairwoman|commissioner|director|ambassador|envoy|negotiator|governor|"
    "premier|mayor|head|founder|coach|manager|captain|general|senator|economist|analyst|"
    "strategist|antitrust|competition|trade|foreign|defence|defense|finance|deputy|senior|top|"
    "interim|acting|opposition|party|policy|economic|health|justice|interior|energy|security|"
    "industry|digital|chief executive|vice|prime|former"
)
TITLE_BEFORE = re.compile(
    rf"(?:(?<![\w’'])(?:[A-Z][\w+.-]*)(?:[ ](?:and[ ]|of[ ])?[A-Z][\w+.-]*)*[ ])?"
    rf"(?:(?:{TITLE_WORDS})[ ])*(?:co-|vice-)?(?:{TITLE_WORDS})[ ]$"
)
# Bodies named by a proper adjective or a leader's name: "the Russian defence ministry".
BODY = re.compile(
    r"\b[Tt]he (?:[A-Z][a-z]+) (?:[a-z]+ )?(?:government|ministry|military|army|navy|embassy|"
    r"cabinet|administration|central bank|coast guard|foreign ministry|defence ministry)\b"
)


def skipped_regions(text: str) -> list[tuple[int, int]]:
    """Return the dateline and credit places of `text`, where no actor is proposed."""
    regions = [match.span() for match in CREDITS.finditer(text)]
    dateline = DATELINE.match(text)
    if dateline:
        regions.append(dateline.span())
    return regions


def previous_word(text: str, start: int) -> str:
    """Return the word before offset `start` (skipping a "the"), lower-cased ("" if none)."""
    found = PREVIOUS_WORD.search(text, max(0, start - 40), start)
    return found.group(1).lower() if found else ""


def list_start(text: str, start: int, end: int) -> int | None:
    """Return where the list that the name at [start, end) closes or stands inside begins
    ("North Dakota and Texas", "Canada, the United States and Europe"), or None."""
    coordinated = COORDINATED.search(text, max(0, start - 80), start)
    if not coordinated and LIST_GOES_ON.match(text, end):
        coordinated = LISTED_BEFORE.search(text, max(0, start - 80), start)
    return coordinated.start() if coordinated else None


def on_a_route(text: str, start: int, end: int) -> bool:
    """Return whether the name at [start, end) is an end of a route: "from Rotterdam to
    Basel" names two places."""
    return bool(
        ROUTE_FROM.search(text, max(0, start - 10), start)
        and ROUTE_TO_NAME.match(text, end)
        or ROUTE_FROM_NAME.search(text, max(0, start - 80), start)
    )


def follows_a_locative(text: str, start: int, end: int, locatives: frozenset[str]) -> bool:
    """Return whether the name at `start` stands where a place does: after one of
    `locatives`, directly or coordinated with a name that does ("in New South Wales and
    Victoria"), or after a region word or "the town of" ("neighbouring Tamil Nadu", "near the
    town of Grindavik"), where a day is good for it ("a great day for Halifax"), or on a route
    ("from Rotterdam to Basel"); not where something is held in it ("stakes in Shell, BP and
    ExxonMobil", "shares in Hanil")."""
    if (
        REGION_OF.search(text, max(0, start - 20), start)
        or TOWN_OF.search(text, max(0, start - 20), start)
        or REPORTERS_AT.search(text, max(0, start - 30), start)
        or DAY_FOR.search(text, max(0, start - 20), start)
        or MOVED_TO.search(text, max(0, start - 70), start)
        or on_a_route(text, start, end)
    ):
        return True
    listed = list_start(text, start, end)
    first = start if listed is None else listed
    if HOLDING_IN.search(text, max(0, first - 30), first):
        return False  # "stakes in Shell, BP and ExxonMobil": companies, not places
    if PLACES_BETWEEN.search(text, max(0, first - 60), first):
        return True  # "a trip between Paris and Lyon", "cities including Lyon"
    return previous_word(text, first) in locatives


def with_the(text: str, start: int, end: int) -> int:
    """Return where a name at [start, end) begins once the "the" right before it is taken.

    The article stays out before a possessive: "the EU's rules" gives "EU".
    """
    if POSSESSIVE.match(text, end):
        return start
    before = text[max(0, start - 4) : start]
    if before in ("the ", "The ") and (start == 4 or not text[start - 5].isalnum()):
        return start - 4
    return start


def is_modifier(text: str, start: int, end: int) -> bool:
    """Return whether the name at [start, end) modifies a noun: "U.S. investment firm".

    A name followed by a lower-case word that is neither a stop word, a verb of the VERBS
    list, an "-ed" form nor an "-ing" participle is taken as a modifier; so is one after "a"
    or "an".
    """
    if text[end : end + 1] == "-" and text[end + 1 : end + 2].islower():
        return True  # "U.S.-made"
    before = previous_word(text, start)
    if before in ("a", "an"):
        return True
    following = NEXT_WORD.match(text, end)
    if not following:
        return False
    word = following.group(1)
    if before in CAUSATIVES and not word.endswith("s"):
        return False  # "helped Europe break its dependence": the name does the verb after it
    if before in LEAVING and LEFT_WITH.match(text, end):
        return False  # "left Ottawa little room": the name is who is left something
    if MANDATIVE_THAT.search(text, max(0, start - 40), start) and not word.endswith("s"):
        return False  # "demanded that Kaneda repay the grants": a subject and its bare verb
    if is_participle(word) and not DETERMINED.search(text, max(0, start - 12), start):
        return False
    if is_verb_with_object(text, word, following.end()):
        return False
    if before in SUBORDINATORS and is_clause_verb(text, word, following.end()):
        return False  # "as Ottawa weighs tougher rules", "which Hydro-Quebec puts at"
    return not (word in STOP_WORDS or word in VERBS or word.endswith("ed") or is_adverb(word))


def may_be_a_verb_in_s(word: str) -> bool:
    """Return whether a lower-case `word` may be a verb in the third person ("presses",
    "weighs"): four letters or more, ending in "-s" but not "-ss", "-us" or "-is"."""
    return len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def is_verb_with_object(text: str, word: str, end: int) -> bool:
    """Return whether a lower-case `word` ending at `end` reads as a verb in "-s" with its
    object after it: "Washington presses Seoul", "Ofcom knows it", "France follows Spain".

    A plural noun after a name is a modifier's head ("CUPW members walked", "SQM shares
    rose"), and what follows it is a verb or punctuation; a verb's object is a name, a
    pronoun, a determiner or a number.
    """
    if not may_be_a_verb_in_s(word):
        return False
    after = OBJECT_AFTER.match(text, end)
    return bool(after) and after.group(1) not in VERBS


def is_clause_verb(text: str, word: str, end: int) -> bool:
    """Return whether a lower-case `word` ending at `end`, after a name that opens a
    subordinate clause, reads as the clause's verb in "-s": a plural noun heading a modifier
    is followed by its own verb ("as CUPW members walked out"), a verb in "-s" is not."""
    if not may_be_a_verb_in_s(word):
        return False
    after = NEXT_WORD.match(text, end)
    if after is None:
        return bool(OBJECT_AFTER.match(text, end)) or text[end : end + 1] in (",", ".")
    following = after.group(1)
    return not (following in VERBS or following.endswith("ed") or is_adverb(following))


def is_participle(word: str) -> bool:
    """Return whether a lower-case `word` reads as an "-ing" participle ("Paris accusing")."""
    return word.endswith("ing") and len(word) > 5


def is_adverb(word: str) -> bool:
    """Return whether a lower-case `word` is an "-ly" adverb ("Canada Post finally listened")
    or an adverb of time that is no stop word ("Ottawa later signed", "Canada today said").

    An adverb after a name modifies the verb that follows, not the name: no noun is modified.
    """
    return (word.endswith("ly") and word not in NOUNS_IN_LY) or word in TIME_ADVERBS


def possesses_politically(text: str, end: int) -> bool:
    """Return whether the possessive after a country ending at `end` has a political thing.

    A capitalised name after the possessive (not a nationality adjective) is political when
    it holds a title or names a body of the state or a law ("Canada's Prime Minister",
    "Canada's Competition Bureau", "the EU's Digital Markets Act"); a company or a person
    named alone is not ("South Korea's Hanwha Ocean", like "Germany's largest union").
    """
    found = POSSESSION.match(text, end)
    if not found:
        return False
    words = found.group(1).split()
    name = POSSESSED_NAME.match(text, end)
    if name and not all(word in NATIONALITIES for word in name.group(1).split()):
        # A nationality adjective is no name: "Ukraine's European allies" is read on.
        if any(word in FUND_WORDS for word in name.group(1).split()):
            return False  # a state-owned fund: "Canada's Public Sector Pension Investment Board"
        # A word may end the sentence ("appeal to Ireland's High Court. A"): read it without
        # its period too.
        return any(
            word in TITLE_HEADS or word in STATE_BODIES or word.lower() in POLITICAL_POSSESSIONS
            for written in name.group(1).split()
            for word in {written, written.rstrip(".,")}
        )
    words = [word.lower() for word in words]
    for index, word in enumerate(words):
        if index and (word in STOP_WORDS or word in VERBS):
            # The noun phrase has ended ("Germany's biggest carmaker plans to"), unless the
            # word is a noun that is also a verb and ends it ("Ottawa's spending plans, ...").
            return word in POLITICAL_POSSESSIONS and ends_noun_phrase(text, found, index)
        if word in POLITICAL_POSSESSIONS:
            return True
    return False


def ends_noun_phrase(text: str, possession: re.Match, index: int) -> bool:
    """Return whether the `index`-th word possessed (`POSSESSION`'s match) ends its noun
    phrase, as a noun that is also a verb does ("plans", "claims", "demands"): when
    punctuation or a verb follows it, not an object or "to"."""
    words = possession.group(1).split()
    if index + 1 < len(words):
        return words[index + 1].lower() in VERBS
    after = text[possession.end() : possession.end() + 1]
    return after != " "


def trades_as_an_economy(text: str, end: int) -> bool:
    """Return whether the verb after the name ending at `end`, past an adverb, is one of an
    economy's ("China accounted for", "Nova Scotia still burns", "Mendoza produces")."""
    following = NEXT_WORD.match(text, end)
    if following and following.group(1) in ADVERBS_BEFORE_VERB:
        following = NEXT_WORD.match(text, following.end())
    return bool(following) and following.group(1) in ECONOMY_VERBS


def is_place_use(text: str, start: int, end: int) -> bool:
    """Return whether the country at [start, end) stands as a place, not an acting party.

    A place: after a place preposition ("in Canada", "exports to the U.S."; not "stand up
    to Washington", whose "to" names an opponent, nor "referring to the United States"), in
    apposition to a place, owning something that is no political thing ("Germany's largest
    union", "South Korea's Hanwha Ocean"), where goods come from ("oil from Iraq"), an
    economy ("China accounted for 13% of revenue", "India is our fastest-growing market"),
    or the place a day is good for ("a great day for Quebec").
    """
    if text[end : end + 1] == "-" and text[end + 1 : end + 2].islower():
        return True  # "U.S.-made"
    if on_a_route(text, start, end):
        return True  # "shipments from Canada to Japan"
    if (
        PLACE_APPOSITION.search(text, max(0, start - 40), start)
        and not POSSESSIVE.match(text, end)
        or BORDER.search(text, max(0, start - 20), start)
    ):
        # "from San Diego to Bellingham, Washington": the state after a town. Not a
        # possessive, which describes the name before it: "from BaFin, Germany's regulator".
        return True
    name = text[start:end].removeprefix("the ").removeprefix("The ")
    if POSSESSIVE.match(text, end):
        if NAMED_SITE.match(text, end):
            return True  # "France's southern Gard department"
        # What the name owns decides, whatever stands before it ("in Ontario's housing
        # ministry" acts). A capital's or the EU's possessive is its government's ("Ottawa's
        # goal", "the EU's Solidarity Lanes"), but for the city's own things.
        if name in TERRITORIAL_ORGANISATIONS or name in CAPITALS:
            return CITY_POSSESSION.match(text, end) is not None
        return not possesses_politically(text, end)
    if REGION_OF.search(text, max(0, start - 20), start) or TOWN_OF.search(
        text, max(0, start - 20), start
    ):
        return True  # "in eastern Congo": a part of a country is a place
    first = list_start(text, start, end)
    if first is not None:
        # "in North Dakota and Texas", "in northern Syria and Iraq", "in Canada, the United
        # States and Europe": the conjuncts share the preposition.
        region = REGION_OF.search(text, max(0, first - 20), first)
        if previous_word(text, region.start() if region else first) in LOCATIVES:
            return True
        if (
            HEADED_FOR.search(text, max(0, first - 20), first)
            or GOODS_FROM.search(text, max(0, first - 80), first)
            or PLACES_BETWEEN.search(text, max(0, first - 60), first)
        ):
            return True
    if trades_as_an_economy(text, end):
        return True  # "China accounted for 13% of revenue", "Nova Scotia still burns coal"
    if HOME_TO.match(text, end):
        return True  # "Greenland, home to about 57,000 people, gets aid"
    if (
        IS_AN_ECONOMY.match(text, end)
        or TRADES_A_VOLUME.match(text, end)
        or HAS_A_COUNT.match(text, end)
        or HOLDS_A_SHARE.match(text, end)
    ):
        return True
    if (
        GOODS_FROM.search(text, max(0, start - 80), start)
        or PLACES_BETWEEN.search(text, max(0, start - 60), start)
        or DAY_FOR.search(text, max(0, start - 20), start)
        or HEADED_FOR.search(text, max(0, start - 20), start)
    ):
        return True
    before = previous_word(text, start)
    if before in LEAVING and (name in TERRITORIAL_ORGANISATIONS or LEFT_WITH.match(text, end)):
        return False
    if before == "to" and (
        UP_TO.search(text, max(0, start - 20), start)
        or ADDRESSED_TO.search(text, max(0, start - 30), start)
    ):
        return False
    return before in PLACE_PREPOSITIONS


@lru_cache(maxsize=1)
def not_person_words() -> frozenset[str]:
    """Return the words that cannot be part of a person's name after a title."""
    return frozenset(country_names().keys() | ORGANISATIONS | ORGANISATION_HEADS | NOT_ACTOR_HEADS)


def titled_name(text: str, run: Run) -> tuple[int, int] | None:
    """Return the (start, end) of a title and the name after it in `run`, if it holds one.

    The name ends before an "of" that follows it: "Justice Paula Mendes of the Ontario
    Superior Court" is a judge, then a court.
    """
    words = [text[start:end] for start, end in run.words]
    heads = [i for i, word in enumerate(words) if word in TITLE_HEADS]
    if not heads:
        return None
    after = [i for i in range(heads[-1] + 1, len(words)) if words[i] not in TITLES]
    if not after:
        return None
    last = after[0]
    while last + 1 < len(words) and " of " not in text[run.words[last][1] : run.words[last + 1][0]]:
        last += 1
    generic = not_person_words()
    if any(words[i] in generic for i in range(after[0], last + 1)):
        return None
    return run.start, run.words[last][1]


ARTICLE_BEFORE_RUN = re.compile(r"\b[Tt]he\s+$")


def person_before_of(text: str, run: Run) -> int | None:
    """Return how many words of `run` name a person before an "of" that starts another name
    ("Peter Kovacs of PVM", "Helen Marsh of RBC Capital Markets"), or None.

    The part before "of" must be two or more words, none of them a title, a country or
    region, a nationality or a word of organisations ("Bank of Canada", "U.S. Chamber of
    Commerce" and "Alliance of Small Island States" stay whole), and no "the" before it: a
    person takes no article, a body does ("the Ontario College of Family Physicians").
    """
    if ARTICLE_BEFORE_RUN.search(text, max(0, run.start - 4), run.start):
        return None
    words = [text[start:end] for start, end in run.words]
    for index in range(1, len(words) - 1):
        if " of " in text[run.words[index][1] : run.words[index + 1][0]]:
            before = words[: index + 1]
            generic = not_person_words()
            if any(
                w in generic
                or w in TITLES
                or w in NATIONALITIES
                or w in DAYS
                or w in MONTHS
                or w in region_names()
                or w in CAPITALS
                for w in before
            ):
                return None
            return index + 1
    return None


def title_start(text: str, start: int) -> int:
    """Return where the lower-case title phrase before a name at `start` begins, if any."""
    found = TITLE_BEFORE.search(text, max(0, start - 80), start)
    return found.start() if found else start


def gazetteer_actor(text: str, run: Run, name: str) -> tuple[int, int] | None:
    """Return the span of a gazetteer name `run` when it acts; None when it is a place."""
    if name in ORGANISATIONS:
        if is_modifier(text, run.start, run.end) or (
            name in TERRITORIAL_ORGANISATIONS and is_place_use(text, run.start, run.end)
        ):
            return None
        return with_the(text, run.start, run.end), run.end
    if is_place_use(text, run.start, run.end) or is_modifier(text, run.start, run.end):
        return None
    start = with_the(text, run.start, run.end) if name in THE_COUNTRIES else run.start
    return start, run.end


def is_place_name(words: list[str]) -> bool:
    """Return whether a run's `words` (its capitalised words: "of" is none) name a lake, a
    mountain, a cape or a gulf ("Lake Erie", "Mount Kanlaon", "the Gulf of St. Lawrence"),
    not a body, company or person named after one ("Gulf Meridian Pipeline Co.", "Lake County
    Council")."""
    if words[0] not in PLACE_FIRST_WORDS or len(words) > 3:
        return False  # "Lake County Assessor Gina Ruiz" is a titled person
    if words[0] == "Gulf" and len(words) == 2:
        return False  # "Gulf Air", "Gulf Meridian": "Gulf" alone names no gulf
    return not any(
        word in ORGANISATION_HEADS or word in COMPANY_SUFFIXES or word in TITLES for word in words
    )


def is_generic(word: str) -> bool:
    """Return whether a capitalised `word` says nothing of which actor is meant."""
    return (
        word in NATIONALITIES
        or word in MONTHS
        or word in DAYS
        or word in TITLES
        or word in PLACES
        or word in NOT_ACTOR_HEADS
        or word in COMPANY_SUFFIXES
        or word in NOT_NAMES
        or word.lower() in STOP_WORDS
        or word.rstrip("s") in NATIONALITIES
        or len(word) < 2
        or word.isupper()
        and len(word) > 5
    )


class Finder:
    """The actors of one text, read run by run (`find_actors`)."""

    def __init__(self, analysis: Analysis):
        self.text = analysis.text
        skipped = skipped_regions(self.text)
        self.runs = [
            r for r in analysis_runs(analysis) if not any(s <= r.start < e for s, e in skipped)
        ]
        self.found: dict[tuple[int, int], str] = {}
        # Single words split off a longer run, read with the run's own single words.
        self.split_singles: list[Run] = []
        self.aliases: set[str] = set()
        # Single words that some run uses as a name inside a sentence.
        self.inner_names = {
            self.text[r.start : r.end] for r in self.runs if len(r.words) == 1 and not r.initial
        }

    def add(self, start: int, end: int, kind: str) -> None:
        self.found[(start, end)] = kind

    def read(self, run: Run) -> bool:
        """Record the actor `run` names, if any; return whether the run was explained.

        A run is explained when it names an actor, or a list knows it (a country standing as
        a place, a place): only unexplained single words go on to `read_word`.
        """
        text = self.text
        words = [text[start:end] for start, end in run.words]
        name = text[run.start : run.end]
        countries = country_names()
        if (
            name in countries
            or name in CAPITALS
            or name in CONTINENTS
            or name in ORGANISATIONS
            or name in region_names()
        ):
            span = gazetteer_actor(text, run, name)
            if span:
                self.add(*span, "gazetteer")
            return True
        if name in PLACES or all(
            w in DAYS or w in MONTHS or w.lower() in STOP_WORDS for w in words
        ):
            return True
        titled = titled_name(text, run)
        if titled:
            start, end = titled
            self.add(title_start(text, start), end, "titled")
            surname = text[start:end].split()[-1]
            self.aliases.add(
                surname if surname not in ("Jr.", "Sr.") else text[start:end].split()[-2]
            )
            if end < run.end:
                rest = [w for w in run.words if w[0] > end]
                self.read(Run(rest[0][0], run.end, tuple(rest)))
            return True
        if len(words) < 2:
            return False
        if is_place_name(words):
            return True
        person_words = person_before_of(text, run)
        if person_words is not None:
            end = run.words[person_words - 1][1]
            self.add(title_start(text, run.start), end, "name")
            self.aliases.add(words[person_words - 1])
            rest = run.words[person_words:]
            after_of = Run(rest[0][0], run.end, tuple(rest))
            if not self.read(after_of) and len(rest) == 1:
                self.split_singles.append(after_of)  # "of PVM": read with the other words
            return True
        if (
            words[-1] in NOT_ACTOR_HEADS
            or words[-1] in TITLES
            and words[-1] not in ORGANISATION_HEADS
        ):
            return False
        if any(w in DAYS or w in MONTHS for w in words):
            return False
        if all(w in NATIONALITIES or w in countries or w in PLACES for w in words):
            return False
        if follows_a_locative(text, run.start, run.end, NAME_PLACE_PREPOSITIONS) or is_modifier(
            text, run.start, run.end
        ):
            return False
        start = with_the(text, run.start, run.end)
        person = start == run.start and not any(
            w in countries or w in NATIONALITIES or w in ORGANISATION_HEADS or w in COMPANY_SUFFIXES
            for w in words
        )
        if person:
            start = title_start(text, run.start)
            self.aliases.add(words[-1])
            if len(words) > 2 and len(run.words) == len(name.split()):
                self.aliases.add(words[0])  # "Meridian Sports Capital", later "Meridian"
        else:
            # A company's short name: its first word, or the word before "Inc." ("Couche-Tard").
            if not is_generic(words[0]) and words[0] not in countries:
                self.aliases.add(words[0])
            if words[-1] in COMPANY_SUFFIXES and not is_generic(words[-2]):
                self.aliases.add(words[-2])
        self.add(start, run.end, "name")
        return True

    def acts(self, end: int) -> bool:
        """Return whether a verb follows the word ending at `end`: "Rogers said"."""
        following = NEXT_WORD.match(self.text, end)
        return bool(following) and following.group(1) in REPORTING_VERBS

    def read_word(self, run: Run) -> None:
        """Record a single capitalised word that names an actor (alias or unexplained name)."""
        text = self.text
        word = text[run.start : run.end]
        if word in self.aliases:
            kind = "alias"
        elif (
            (run.initial and word not in self.inner_names and not self.acts(run.end))
            or (run.initial and word in GENERIC_INFORMANTS)
            or is_generic(word)
            or any(c.isdigit() for c in word)
            or word in country_names()
        ):
            return
        else:
            kind = "word"
        if follows_a_locative(text, run.start, run.end, WORD_PLACE_PREPOSITIONS):
            return
        if is_modifier(text, run.start, run.end):
            return
        self.add(with_the(text, run.start, run.end), run.end, kind)

    def actors(self) -> list[tuple[int, int, str]]:
        """Return (start, end, kind) of every actor, none nested in another."""
        singles = []
        for run in self.runs:
            if not self.read(run) and len(run.words) == 1:
                singles.append(run)
        for run in singles + self.split_singles:
            self.read_word(run)
        for match in BODY.finditer(self.text):
            self.add(match.start(), match.end(), "body")
        spans = sorted(self.found, key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int]] = []
        for start, end in spans:
            if kept and start < kept[-1][1]:
                continue  # nested in (or overlapping) the longer span before it
            kept.append((start, end))
        return [(start, end, self.found[(start, end)]) for start, end in kept]


def find_actors(analysis: Analysis) -> list[tuple[int, int, str]]:
    """Return (start, end, kind) of every actor proposed in the analysed text."""
    return Finder(analysis).actors()


@register("actors", labels=[ACTOR])
def suggest_actors(
    analysis: Analysis, context: SuggestContext, found: list[Candidate]
) -> list[Candidate]:
    """Propose an ACTOR for every named or titled actor, acting country and organisation.

    Where propagation (run before) proposes an ACTOR, a string some human layer tags, no guess
    overlapping it is proposed: the analyst's reading of a name ("Law and Justice") beats a
    rule's reading of the same words ("Law").

    A guess that the layer propagated from shows its analyst passed over (in the part of the
    document they have read, a string they tag nowhere: `assist.reading`) yields too.
    """
    propagated = sorted((c.start, c.end) for c in found if c.label == ACTOR)
    guesses = [
        (start, end, kind)
        for start, end, kind in find_actors(analysis)
        if not overlaps_any(start, end, propagated)
    ]
    passed = passed_over(
        analysis,
        [(start, end) for start, end, _ in guesses],
        layer_spans=context.layer_spans,
        known=context.known,
        label=ACTOR,
    )
    return [
        Candidate(ACTOR, start, end, "actors", SCORES[kind])
        for start, end, kind in guesses
        if (start, end) not in passed
    ]


def overlaps_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Return whether [start, end) shares a character with one of the sorted `spans`."""
    return any(start < e for s, e in spans[: bisect_left(spans, (end,))])
