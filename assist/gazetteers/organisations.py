"""International organisations, governments and institutions that act in the news.

Hand-kept (no well-kept open list covers news usage of these names): the bodies that wire
copy about politics, trade and defence names most often. `THE_ORGANISATIONS` are written with
"the" ("the European Union", "the Kremlin"): the guide's example keeps "the" in the span.
"""

from . import listing

ORGANISATIONS = listing(
    """
United Nations|UN|U.N.|UN Security Council|U.N. Security Council|Security Council|
General Assembly|NATO|North Atlantic Treaty Organization|European Union|EU|E.U.|
European Commission|European Parliament|European Council|Council of the European Union|
European Central Bank|ECB|World Trade Organization|WTO|International Monetary Fund|IMF|
World Bank|OPEC|OPEC+|World Health Organization|WHO|G7|G-7|G20|G-20|Group of Seven|
Group of 20|OECD|ASEAN|African Union|Arab League|BRICS|Commonwealth|
International Atomic Energy Agency|IAEA|International Criminal Court|ICC|
International Court of Justice|Red Cross|International Committee of the Red Cross|
Federal Reserve|Fed|Bank of Canada|Bank of England|Bank of Japan|People's Bank of China|
White House|Kremlin|Pentagon|Downing Street|Elysee|Élysée|Congress|Senate|
House of Representatives|House of Commons|House of Lords|Parliament|Bundestag|Duma|
State Department|Treasury|Justice Department|Department of Justice|Defense Department|
Department of Defense|Department of National Defence|Global Affairs Canada|
Privy Council Office|Prime Minister's Office|PMO|Supreme Court|Hamas|Hezbollah|Taliban|
Houthis|Islamic State|Reuters|Associated Press|AP|Canadian Press|Bloomberg|Xinhua|AFP|
Agence France-Presse|CBC|BBC|Liberals|Conservatives|Liberal Party|Conservative Party|
Democrats|Republicans|Democratic Party|Republican Party|Labour Party|Bloc Québécois|NDP|
New Democrats
"""
)
# Capitals stand for governments when they act ("Washington said"): the ACTOR suggester treats
# them like countries, so never after a place preposition ("in Ottawa"). The national capitals
# as wire copy spells them, but those that are also common first names or words (Victoria,
# Kingston, Wellington, Santiago, Male, Praia, ...), and the city-states, which are countries.
CAPITALS = listing(
    """
Ottawa|Washington|Beijing|Moscow|Brussels|Kyiv|Tehran|Tokyo|London|Paris|Berlin|Riyadh|Ankara|
Warsaw|Rome|Madrid|Seoul|New Delhi|Canberra|Cairo|Pyongyang|Damascus|Baghdad|Kabul|Islamabad|
Jerusalem|Mexico City|Brasilia|Caracas|Havana|Minsk|Budapest|Athens|Lisbon|Vienna|Stockholm|
Oslo|Helsinki|Copenhagen|Dublin|Bern|Doha|Abu Dhabi|Taipei|Manila|Jakarta|Hanoi|Bangkok|
Tel Aviv|Tirana|Algiers|Luanda|Buenos Aires|Yerevan|Baku|Manama|Dhaka|Bridgetown|Brasília|
Belmopan|Porto-Novo|Thimphu|La Paz|Sucre|Sarajevo|Gaborone|Sofia|Ouagadougou|Gitega|Bujumbura|
Phnom Penh|Yaounde|Yaoundé|Bangui|N'Djamena|Bogota|Bogotá|Moroni|Kinshasa|Brazzaville|San Jose|
San José|Zagreb|Nicosia|Prague|Yamoussoukro|Abidjan|Djibouti|Roseau|Santo Domingo|Quito|
San Salvador|Malabo|Asmara|Tallinn|Mbabane|Addis Ababa|Suva|Libreville|Banjul|Tbilisi|Accra|
Guatemala City|Conakry|Bissau|Port-au-Prince|Tegucigalpa|Reykjavik|Reykjavík|Amman|Astana|
Nairobi|Tarawa|Pristina|Kuwait City|Bishkek|Vientiane|Riga|Beirut|Maseru|Monrovia|Tripoli|
Vaduz|Vilnius|Antananarivo|Lilongwe|Kuala Lumpur|Bamako|Majuro|Nouakchott|Port Louis|Chisinau|
Chișinău|Ulaanbaatar|Ulan Bator|Podgorica|Rabat|Maputo|Naypyidaw|Naypyitaw|Windhoek|Kathmandu|
Amsterdam|The Hague|Managua|Niamey|Abuja|Skopje|Muscat|Ngerulmud|Ramallah|Panama City|
Port Moresby|Asuncion|Asunción|Lima|Kigali|Basseterre|Castries|Kingstown|Apia|Sao Tome|
São Tomé|Dakar|Belgrade|Freetown|Bratislava|Ljubljana|Honiara|Mogadishu|Pretoria|Cape Town|
Juba|Colombo|Khartoum|Paramaribo|Dushanbe|Dodoma|Dar es Salaam|Dili|Lome|Lomé|Nuku'alofa|
Port of Spain|Tunis|Ashgabat|Funafuti|Kampala|Montevideo|Tashkent|Port Vila|Sanaa|Sana'a|
Lusaka|Harare|Bucharest|Valletta
"""
)
# Written with "the" before them in news copy; the article is part of the span.
THE_ORGANISATIONS = listing(
    """
United Nations|UN|U.N.|UN Security Council|U.N. Security Council|Security Council|
General Assembly|European Union|EU|E.U.|European Commission|European Parliament|
European Council|Council of the European Union|European Central Bank|ECB|
World Trade Organization|WTO|International Monetary Fund|IMF|World Bank|
World Health Organization|WHO|G7|G-7|G20|G-20|Group of Seven|Group of 20|OECD|African Union|
Arab League|International Atomic Energy Agency|IAEA|International Criminal Court|ICC|
International Court of Justice|Red Cross|International Committee of the Red Cross|
Federal Reserve|Fed|Bank of Canada|Bank of England|Bank of Japan|People's Bank of China|
White House|Kremlin|Pentagon|Elysee|Élysée|Senate|House of Representatives|
House of Commons|House of Lords|Bundestag|Duma|State Department|Treasury|
Justice Department|Department of Justice|Defense Department|Department of Defense|
Department of National Defence|Privy Council Office|Prime Minister's Office|PMO|
Supreme Court|Taliban|Houthis|Islamic State|Associated Press|Canadian Press|
Liberals|Conservatives|Liberal Party|Conservative Party|Democrats|Republicans|
Democratic Party|Republican Party|Labour Party|Bloc Québécois|NDP|New Democrats
"""
)
