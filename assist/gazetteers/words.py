"""Hand lists of words that shape names in news copy: titles, nationality adjectives, the
words that end a place, an event or a document rather than an actor, and calendar names.

Hand-kept from AP and Canadian Press style usage; no package gives them in this form.
"""

from . import listing

# Titles that stand before a name and belong in the ACTOR span with it (the guide).
TITLES = listing(
    """
President|Vice-President|Vice President|Prime Minister|Deputy Prime Minister|Minister|
Secretary|Secretary-General|Secretary General|Chancellor|King|Queen|Prince|Princess|Pope|
Premier|Governor|Gov.|Senator|Sen.|Representative|Rep.|Mayor|Ambassador|Envoy|Commissioner|
Chairman|Chairwoman|Chair|Chief|Executive|CEO|Director|Director-General|General|Gen.|
Lt.|Col.|Colonel|Adm.|Admiral|Maj.|Major|Capt.|Captain|Sgt.|Sergeant|Cmdr.|Commander|Dr.|
Mr.|Mrs.|Ms.|Prof.|Professor|Judge|Justice|Speaker|Leader|Spokesperson|Spokesman|
Spokeswoman|Sheikh|Emir|Crown|Officer|Attorney|Lord|Lady|Sir|Dame|Rev.|Bishop|Archbishop|
Cardinal|Chief of Staff|Head|Trade|Defence|Defense|Foreign|Finance|Affairs|Deputy|Interior|
Industry|Energy|Economy|State|Public|Safety|Health|Environment|National|Security|Adviser|
Advisor|Undersecretary|Under|Associate|Assistant|Special|Representative|Vice|Labour|Labor
"""
)
# The head words of a title: a run must hold one of these for its names to be a titled person.
TITLE_HEADS = listing(
    """
President|Vice-President|Minister|Secretary|Secretary-General|Chancellor|King|Queen|Prince|
Princess|Pope|Premier|Governor|Gov.|Senator|Sen.|Rep.|Representative|Mayor|Ambassador|
Envoy|Commissioner|Chairman|Chairwoman|Chair|CEO|Director|Director-General|General|Gen.|
Lt.|Col.|Colonel|Adm.|Admiral|Maj.|Capt.|Sgt.|Cmdr.|Commander|Dr.|Mr.|Mrs.|Ms.|Prof.|
Professor|Judge|Justice|Speaker|Leader|Spokesperson|Spokesman|Spokeswoman|Sheikh|Emir|
Attorney|Lord|Lady|Sir|Dame|Rev.|Bishop|Archbishop|Cardinal|Adviser|Advisor|Undersecretary|
Officer|Executive|Chief
"""
)
NATIONALITIES = listing(
    """
American|Canadian|European|British|Chinese|Russian|Ukrainian|French|German|Italian|Spanish|
Japanese|Indian|Mexican|Brazilian|Australian|Israeli|Palestinian|Iranian|Iraqi|Syrian|
Turkish|Saudi|Korean|Polish|Dutch|Belgian|Swedish|Norwegian|Danish|Finnish|Swiss|Austrian|
Greek|Portuguese|Irish|Scottish|Welsh|English|Egyptian|Nigerian|African|Kenyan|Pakistani|
Afghan|Venezuelan|Cuban|Colombian|Argentine|Argentinian|Chilean|Peruvian|Vietnamese|Thai|
Indonesian|Filipino|Malaysian|Taiwanese|Arab|Western|Eastern|Asian|Latin|Nordic|Baltic|
Arctic|Atlantic|Pacific|Lebanese|Jordanian|Qatari|Emirati|Hungarian|Czech|Slovak|Romanian|
Bulgarian|Serbian|Croatian|Belarusian|Georgian|Armenian|Azerbaijani|Kazakh|Mongolian|
Estonian|Latvian|Lithuanian|Icelandic|Yemeni|Libyan|Sudanese|Ethiopian|Somali|Quebecer|
Albertan|Ontarian|Transatlantic|Trans-Atlantic|North|South|East|West|Northern|Southern|
Central|Middle|Global|International|Federal|Provincial|Liberal|Conservative|Democratic|
Republican|Soviet|Islamic|Muslim|Christian|Jewish|Catholic|Sunni|Shia|Shiite|Kurdish
"""
)
# A name opening with one of these is a place: "Lake Erie", "Mount Kenya", "Cape Breton".
PLACE_FIRST_WORDS = listing("Lake|Lac|Mount|Mt.|Mont|Cape|Isle|Gulf")
# Plural common nouns that open a sentence as generic informants ("Police said",
# "Forecasters said"): anonymous sources by the guide, not names.
GENERIC_INFORMANTS = listing(
    """
Police|Forecasters|Economists|Analysts|Officials|Authorities|Residents|Witnesses|Scientists|
Researchers|Experts|Investigators|Prosecutors|Doctors|Rescuers|Firefighters|Paramedics|Medics|
Diplomats|Sources|Organisers|Organizers|Traders|Observers|Critics|Lawmakers|Legislators|
Regulators|Officers|Activists|Protesters|Protestors|Workers|Farmers|Meteorologists|Epidemiologists
"""
)
# A name ending in one of these is a place, an event, a document or a thing, not an actor.
NOT_ACTOR_HEADS = listing(
    """
Street|Avenue|Road|Boulevard|River|Sea|Ocean|Gulf|Strait|Island|Islands|Mountains|Mountain|
Valley|Bay|Lake|Square|Park|Hill|Airport|Station|Bridge|Canal|Coast|Peninsula|Region|
Province|County|District|Act|Bill|Agreement|Partnership|Treaty|Accord|Pact|Update|Review|
Plan|Strategy|Report|Policy|Day|Week|War|Summit|Games|Cup|Award|Prize|Conference|Forum|
Program|Programme|Initiative|Doctrine|Declaration|Charter|Protocol|Convention|Framework|
Index|Budget|Deal|Era|Age|Crisis|Fighter|Jet|Jets|Aircraft|Missile|Missiles|Tank|Tanks|
Festival|Olympics|Championship|Hall|Tower|Building|Centre|Center|Hospital|School|Mall|
Highway|Hwy|Route|Zone|Belt|Corridor|Line|Border|Front|Basin|Desert|Forest|Falls|Canyon
"""
)
# Places that are only places (never an acting party) though written like names.
PLACES = listing(
    """
Que.|Ont.|Alta.|Sask.|Man.|B.C.|N.S.|N.B.|Calif.|Fla.|N.Y.|Que|Ont|Alta|Sask|Calif|Fla|
North America|South America|Latin America|Central America|Middle East|Near East|Far East|
Asia|Africa|Antarctica|Oceania|Scandinavia|Balkans|Caribbean|Arctic|Atlantic|Pacific|
Indo-Pacific|New York|New York City|Los Angeles|San Francisco|Hong Kong|Quebec City|
Silicon Valley|Wall Street|Parliament Hill|Capitol Hill|Toronto|Montreal|Vancouver|Calgary|
Edmonton|Winnipeg|Halifax|Geneva|Amsterdam|The Hague|Munich|Frankfurt|Milan|Shanghai|Mumbai|
Delhi|Dubai|Gaza|West Bank|Crimea|Donbas|Kharkiv|Odesa|Sydney|Melbourne|Chicago|Boston|
Texas|California|Florida|Ontario|Quebec|Alberta|Manitoba|Saskatchewan|Nova Scotia|
New Brunswick|British Columbia|Newfoundland|Labrador|Channel|English Channel|
"""
)
MONTHS = listing(
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan.|Feb.|Aug.|Sept.|Oct.|Nov.|Dec."
)
DAYS = listing("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
# Endings of a company or institution name, kept in its span ("Lockheed Martin Corp.").
COMPANY_SUFFIXES = listing(
    "Inc.|Inc|Corp.|Corp|Co.|Ltd.|Ltd|LLC|plc|PLC|AG|SA|S.A.|NV|N.V.|SE|GmbH|Group|Holdings"
)
# Endings that make a capitalised run an organisation ("the" before it is kept, like the guide's
# "the European Union").
ORGANISATION_HEADS = listing(
    """
Union|Commission|Council|Parliament|Bank|Agency|Ministry|Department|Party|Association|
Institute|University|Forces|Army|Navy|Force|Court|Committee|Fund|Office|Service|Services|
Authority|Organization|Organisation|Board|Federation|Network|Foundation|Systems|Industries|
Airlines|Motors|Technologies|Press|Corporation|Company|Government|Administration|Cabinet|
Senate|Assembly|Secretariat|Alliance|Coalition|Guard|Police|Command|Group|Inc.|Corp.|Ltd.|
League|Club|Communications|Capital|Markets|Partners|Holdings|Energy|Insurance|Media|Sports|
Platforms|Telecom|Pharmaceuticals|Entertainment|Financial|Securities|Investments|Trust|
Institution|Labs|Automotive|Steel|Mining|Resources|Oil|Gas|Power|Electric|Health|Capital
"""
)
