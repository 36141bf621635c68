"""The speakers suggester: each quote linked to the ACTOR or ANON_SOURCE span that says it."""

import re

from assist.candidates import ACTOR, ANON_SOURCE, QUOTE, Candidate
from assist.registry import SuggestContext
from assist.suggesters.anonymous_sources import suggest_anonymous_sources
from assist.suggesters.quotes import suggest_quotes
from assist.suggesters.speakers import suggest_speakers
from assist.text import analyse


def actor_spans(text: str, names: list[str]) -> list[Candidate]:
    """Return an ACTOR candidate at every whole-word occurrence of each name (an earlier
    suggester's work, as `found` carries it).
    """
    return [
        Candidate(ACTOR, m.start(), m.end(), "actors", 0.9)
        for name in names
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    ]


def run(text: str, actors: list[str] = ()) -> tuple[dict[str, str | None], list[Candidate]]:
    """Return each quote's words -> its speaker's words, and the spans the suggester added."""
    analysis, context = analyse(text), SuggestContext()
    found = actor_spans(text, list(actors))
    found += suggest_anonymous_sources(analysis, context, found)
    found += suggest_quotes(analysis, context, found)
    output = suggest_speakers(analysis, context, found)
    places = {(c.start, c.end, c.label) for c in found}
    linked = {(c.start, c.end): c for c in output if c.label == QUOTE}
    speakers = {}
    for quote in (c for c in found if c.label == QUOTE):
        speaker = linked.get((quote.start, quote.end), quote).speaker
        words = text[quote.start : quote.end]
        speakers[words] = text[speaker.start : speaker.end] if speaker else None
    added = [c for c in output if c.label != QUOTE]
    assert all((c.start, c.end, c.label) not in places for c in added)
    for quote in output:
        if quote.label == QUOTE and quote.speaker:
            assert quote.speaker.label in (ACTOR, ANON_SOURCE)
            assert (quote.speaker.start, quote.speaker.end, quote.speaker.label) in places | {
                (c.start, c.end, c.label) for c in added
            }
    return speakers, added


def test_cue_verbs_after_the_quote_and_inverted():
    text = (
        "“The border stays open for every lorry,” Premier Doug Ford said on Monday.\n"
        "“We will answer tariff for tariff,” said Treasurer Ana Silva.\n"
        "“Nobody in this room wants a fight,” Ford told reporters.\n"
        "“The numbers do not add up for our farmers,” Silva wrote in a post."
    )
    speakers, _ = run(text, ["Premier Doug Ford", "Treasurer Ana Silva", "Ford", "Silva"])
    assert speakers == {
        "The border stays open for every lorry,": "Premier Doug Ford",
        "We will answer tariff for tariff,": "Treasurer Ana Silva",
        "Nobody in this room wants a fight,": "Ford",
        "The numbers do not add up for our farmers,": "Silva",
    }


def test_cue_verbs_before_the_quote_colon_according_to_and_calling():
    text = (
        "Mayor Lena Park said: “The bridge reopens before winter.”\n"
        "According to Mayor Lena Park, “the contractor has every permit it needs.”\n"
        "Councillor Omar Haddad criticised the timetable, calling it “a fantasy from start to "
        "finish.”\n"
        "Haddad insisted that “the city has been misled about the cost.”"
    )
    speakers, _ = run(text, ["Mayor Lena Park", "Councillor Omar Haddad", "Haddad"])
    assert speakers == {
        "The bridge reopens before winter.": "Mayor Lena Park",
        "the contractor has every permit it needs.": "Mayor Lena Park",
        "a fantasy from start to finish.": "Councillor Omar Haddad",
        "the city has been misled about the cost.": "Haddad",
    }


def test_the_name_in_an_appositive_is_preferred_to_the_description():
    text = (
        "Norway’s new leader, Prime Minister Ingrid Dahl, said: “We are ready to talk.”\n"
        "Ingrid Dahl, Norway’s new leader, added that “the door is open to every partner.”\n"
        "“Talks start in the spring,” said Norway’s new leader, Prime Minister Ingrid Dahl.\n"
        "The head of the Nordic Council, Erik Berg, said: “We welcome the offer today.”"
    )
    actors = ["Norway", "Prime Minister Ingrid Dahl", "Ingrid Dahl", "Nordic Council", "Erik Berg"]
    speakers, _ = run(text, actors)
    assert speakers == {
        "We are ready to talk.": "Prime Minister Ingrid Dahl",
        "the door is open to every partner.": "Ingrid Dahl",
        "Talks start in the spring,": "Prime Minister Ingrid Dahl",
        "We welcome the offer today.": "Erik Berg",
    }


def test_a_pronoun_resolves_to_the_most_recent_compatible_named_actor():
    text = (
        "Finance Minister Carla Ruiz met officials from Brazil and the World Bank on Monday.\n"
        "“We have a plan for the debt and we will keep to it,” she said.\n"
        "Senator Paul Grant spoke later in Lisbon. He said “the plan leaves out the north.”"
    )
    actors = ["Finance Minister Carla Ruiz", "Brazil", "the World Bank", "Senator Paul Grant"]
    speakers, added = run(text, actors)
    assert speakers == {
        "We have a plan for the debt and we will keep to it,": "Finance Minister Carla Ruiz",
        "the plan leaves out the north.": "Senator Paul Grant",
    }
    assert added == []


def test_they_resolves_to_a_plural_source_or_an_organisation():
    text = (
        "Two officials familiar with the talks described the mood as tense. "
        "“Nobody expects a deal before the summit,” they said.\n"
        "The Hanseatic Shipping Company issued a statement. "
        "“Our ships will avoid the strait until further notice,” they said."
    )
    speakers, _ = run(text, ["The Hanseatic Shipping Company"])
    assert speakers == {
        "Nobody expects a deal before the summit,": "Two officials familiar with the talks",
        "Our ships will avoid the strait until further notice,": "The Hanseatic Shipping Company",
    }


def test_a_pronoun_never_becomes_the_speaker_and_finds_an_unspanned_name():
    text = (
        "Defence Secretary Moira Kent visited the base on Friday.\n"
        "“Our troops deserve better housing than this,” she said."
    )
    speakers, added = run(text)
    assert speakers == {
        "Our troops deserve better housing than this,": "Defence Secretary Moira Kent"
    }
    assert [(c.label, text[c.start : c.end]) for c in added] == [
        (ACTOR, "Defence Secretary Moira Kent")
    ]


def test_a_new_actor_is_proposed_when_no_span_covers_the_speaker():
    text = "“The harvest is the worst in a decade,” farm leader Jonas Weber said."
    speakers, added = run(text)
    assert speakers == {"The harvest is the worst in a decade,": "Jonas Weber"}
    assert [(c.label, c.suggester) for c in added] == [(ACTOR, "speakers")]


def test_an_anonymous_source_is_the_speaker():
    text = (
        "“The ceasefire will not hold past Sunday,” a senior diplomat with knowledge of the "
        "talks said."
    )
    speakers, added = run(text)
    assert speakers == {
        "The ceasefire will not hold past Sunday,": "a senior diplomat with knowledge of the talks"
    }
    assert added == []


def test_the_speaker_carries_into_a_continuation_paragraph():
    text = (
        "“The first part of the statement is here,” Bishop Anna Roth said. “The second part "
        "goes on\n"
        "“into the next paragraph, which closes it.”\n"
        "Nobody else spoke."
    )
    speakers, _ = run(text, ["Bishop Anna Roth"])
    assert speakers == {
        "The first part of the statement is here,": "Bishop Anna Roth",
        "The second part goes on": "Bishop Anna Roth",
        "into the next paragraph, which closes it.": "Bishop Anna Roth",
    }


def test_a_cue_after_a_multi_paragraph_quote_names_every_part():
    text = (
        "At the hearing, the witness read a letter.\n"
        "“I was never told about the shortfall in the pension fund\n"
        "“and I would have stopped it had I known,” former treasurer Hugo Lind wrote."
    )
    speakers, _ = run(text, ["Hugo Lind"])
    assert speakers == {
        "I was never told about the shortfall in the pension fund": "Hugo Lind",
        "and I would have stopped it had I known,": "Hugo Lind",
    }


def test_a_cue_less_quote_takes_the_speaker_of_the_adjacent_one():
    text = (
        "“We lost the vote but not the argument,” Senator Rosa Diaz said. “We will be back "
        "next session.”"
    )
    speakers, _ = run(text, ["Senator Rosa Diaz"])
    assert speakers == {
        "We lost the vote but not the argument,": "Senator Rosa Diaz",
        "We will be back next session.": "Senator Rosa Diaz",
    }


def test_a_nested_quote_is_spoken_by_the_actor_named_inside_the_outer_quote():
    text = (
        "“When Governor Tom Reyes told us, ‘the money is already spent,’ nobody believed "
        "him,” the auditor Mia Holt said."
    )
    speakers, _ = run(text, ["Governor Tom Reyes", "Mia Holt"])
    assert speakers == {
        "When Governor Tom Reyes told us, ‘the money is already spent,’ nobody believed him,": (
            "Mia Holt"
        ),
        "the money is already spent,": "Governor Tom Reyes",
    }


def test_a_name_inside_another_quote_is_never_the_speaker():
    text = "“Premier Sam Ito should resign today,” the opposition leader Kim Vance said."
    speakers, _ = run(text, ["Premier Sam Ito", "Kim Vance"])
    assert speakers == {"Premier Sam Ito should resign today,": "Kim Vance"}


def test_a_quote_with_no_cue_has_no_speaker():
    text = "The banner over the gate read “Welcome to the harvest festival of the valley”."
    speakers, added = run(text)
    assert speakers == {"Welcome to the harvest festival of the valley": None}
    assert added == []


def test_a_pronoun_takes_the_subject_of_the_nearest_sentence_naming_a_person():
    text = (
        "Okafor met Lindqvist at the summit in Lagos on Monday.\n"
        "“It was a long and useful meeting,” he said afterwards."
    )
    speakers, _ = run(text, ["Okafor", "Lindqvist", "Lagos"])
    assert speakers == {"It was a long and useful meeting,": "Okafor"}


def test_he_may_stand_for_one_unnamed_source_but_never_for_a_capital():
    text = (
        "A senior diplomat said on Friday that Ottawa had walked out of the talks.\n"
        "“Nobody expected the walkout this early,” he said."
    )
    speakers, _ = run(text, ["Ottawa"])
    assert speakers == {"Nobody expected the walkout this early,": "A senior diplomat"}


def test_a_cue_in_the_sentence_before_names_the_speaker_of_a_quote_opening_its_own():
    text = (
        "Governor Lise Moreau said the budget was balanced for the first time in a decade.\n"
        "“We did it without cutting a single school.”"
    )
    speakers, _ = run(text, ["Governor Lise Moreau"])
    assert speakers == {"We did it without cutting a single school.": "Governor Lise Moreau"}


def test_a_name_nearer_the_cue_wins_over_a_pronoun_in_a_subordinate_clause():
    text = "Asked whether he would resign, Prime Minister Ivo Petrov said: “Not today.”"
    speakers, added = run(text)
    assert speakers == {"Not today.": "Prime Minister Ivo Petrov"}
    assert [text[c.start : c.end] for c in added] == ["Prime Minister Ivo Petrov"]


def test_a_partial_quote_inside_a_clause_takes_the_cue_before_not_the_object_after():
    text = (
        "Premier Lise Caron called the accord “a first step” and said Europe had to share the "
        "burden.\n"
        "The Chinese commerce ministry said the ruling “respects market rules” and urged the EU "
        "to treat Chinese firms fairly."
    )
    actors = ["Premier Lise Caron", "Europe", "The Chinese commerce ministry", "the EU"]
    speakers, _ = run(text, actors)
    assert speakers == {
        "a first step": "Premier Lise Caron",
        "respects market rules": "The Chinese commerce ministry",
    }


def test_a_comma_after_the_closing_mark_leads_to_the_cue_after_it():
    text = (
        "The deal is “still within reach”, according to Dana Price of Halcyon Research.\n"
        "Critics call the rules “a joke,” in the words of Omar Haddad, a former regulator."
    )
    speakers, _ = run(text, ["Dana Price", "Halcyon Research", "Omar Haddad"])
    assert speakers == {"still within reach": "Dana Price", "a joke,": "Omar Haddad"}


def test_an_inverted_subject_follows_only_a_cue_right_after_the_quote():
    # "calling it": what is called follows the cue, not who calls; the quote after it shares
    # the first one's speaker.
    text = (
        "Agriculture Minister Annie Vidal said France would “never sign the deal as it "
        "stands”, calling it “a threat to our food sovereignty”."
    )
    speakers, _ = run(text, ["Agriculture Minister Annie Vidal", "France"])
    assert speakers == {
        "never sign the deal as it stands": "Agriculture Minister Annie Vidal",
        "a threat to our food sovereignty": "Agriculture Minister Annie Vidal",
    }


def test_it_resolves_to_an_organisation_never_to_a_titled_person():
    text = (
        "Defence Minister Ola Berg met the head of Amnesty International on Monday. "
        "Amnesty International welcomed the decision.\n"
        "“This shows that no company is above the law,” it said in a statement."
    )
    speakers, _ = run(text, ["Defence Minister Ola Berg", "Amnesty International"])
    assert speakers == {"This shows that no company is above the law,": "Amnesty International"}


def test_a_subject_right_before_a_participle_cue_is_its_speaker_after_a_preposition():
    text = (
        "Rich and poor countries clashed on Saturday, with the Alliance of Small Island States "
        "calling the offer “a betrayal of the most vulnerable”."
    )
    speakers, _ = run(text, ["the Alliance of Small Island States"])
    assert speakers == {"a betrayal of the most vulnerable": "the Alliance of Small Island States"}


def test_a_word_capitalised_only_as_a_sentence_opener_is_no_name():
    text = (
        "Rights groups warned the law would be challenged in court. "
        "“Nobody asked the people who live there,” they said."
    )
    speakers, added = run(text)
    assert speakers == {"Nobody asked the people who live there,": "Rights groups"}
    assert added == []


def test_a_description_subject_passes_the_quote_to_the_actor_it_stands_for():
    text = (
        "“Go work on Wall Street,” Sen. Laura Whitcomb told The Associated Press. "
        "The senator said the bill had “more support than anyone wants to admit.”\n"
        "Halden Shipping filed its appeal on Friday. The company said the ruling was "
        "“a gift to our competitors.”"
    )
    actors = ["Sen. Laura Whitcomb", "The Associated Press", "Halden Shipping"]
    speakers, _ = run(text, actors)
    assert speakers == {
        "Go work on Wall Street,": "Sen. Laura Whitcomb",
        "more support than anyone wants to admit.": "Sen. Laura Whitcomb",
        "a gift to our competitors.": "Halden Shipping",
    }


def test_a_possessive_description_subject_gives_its_possessor():
    text = (
        "China’s foreign ministry said the boat had “illegally intruded” into Chinese waters "
        "and that the coast guard had acted “in a professional and restrained manner.”"
    )
    speakers, added = run(text, ["China"])
    assert speakers == {
        "illegally intruded": "China",
        "in a professional and restrained manner.": "China",
    }
    assert added == []


def test_a_title_abbreviation_does_not_cut_the_attribution_off():
    text = (
        "“Our members have spoken,” Capt. Tim Perry, who heads the union’s unit, told "
        "The Canadian Press."
    )
    speakers, _ = run(text, ["Capt. Tim Perry", "The Canadian Press"])
    assert speakers == {"Our members have spoken,": "Capt. Tim Perry"}


def test_the_one_told_is_never_a_pronoun_s_antecedent():
    text = (
        "Halden Shipping said it would appeal. Its lawyer told Radio Norte the ruling was "
        "flawed. “The court ignored the contracts,” it said."
    )
    speakers, _ = run(text, ["Halden Shipping", "Radio Norte"])
    assert speakers == {"The court ignored the contracts,": "Halden Shipping"}


def test_a_cue_less_quote_takes_no_speaker_across_someone_else_s_cue():
    text = (
        "“We will strike,” union leader Ana Silva told reporters. Economists said the strike "
        "would be short. “It always is.”"
    )
    speakers, _ = run(text, ["union leader Ana Silva"])
    assert speakers == {"We will strike,": "union leader Ana Silva", "It always is.": "Economists"}


def test_a_description_names_no_actor_whose_title_says_otherwise():
    text = (
        "“We will strike,” union leader Ana Silva told reporters. The mayor said the strike "
        "would be “short and pointless.”"
    )
    speakers, _ = run(text, ["union leader Ana Silva"])
    assert speakers == {"We will strike,": "union leader Ana Silva", "short and pointless.": None}


def test_a_participle_after_a_comma_shares_its_clause_s_subject():
    text = (
        "President Luiz Ramos defended plans by state-controlled Petrolux to drill offshore, "
        "saying the country could not “give up wealth that belongs to the people.”\n"
        "Canada will fight the duties, Prime Minister Mark Carney said, calling the move "
        "“an attack on the people who built this country.”"
    )
    actors = ["President Luiz Ramos", "Petrolux", "Canada", "Prime Minister Mark Carney"]
    speakers, _ = run(text, actors)
    assert speakers == {
        "give up wealth that belongs to the people.": "President Luiz Ramos",
        "an attack on the people who built this country.": "Prime Minister Mark Carney",
    }


def test_a_speech_act_verb_is_a_cue_for_a_description_subject():
    text = (
        "Orchard Computers said it would appeal. In a statement, the company accused the "
        "regulator of “unfairly targeting” it and of forcing it “to give away our technology.”"
    )
    speakers, _ = run(text, ["Orchard Computers"])
    assert speakers == {
        "unfairly targeting": "Orchard Computers",
        "to give away our technology.": "Orchard Computers",
    }


def test_a_capitalised_cue_verb_inside_a_name_is_no_cue():
    # "States" in "the United States" is no "states" of saying, and no name is cut at it.
    text = (
        "The freighter was escorted by cutters from the United States and Iceland. “We kept "
        "it in sight the whole way,” the sailor said."
    )
    speakers, added = run(text, ["the United States", "Iceland"])
    assert speakers == {"We kept it in sight the whole way,": None}
    assert added == []


def test_a_quote_opening_the_sentence_after_a_long_attribution_keeps_its_speaker():
    text = (
        "“We hear you,” Mayor Ana Ruiz told the crowd outside city hall on Monday evening, "
        "promising to ask the provincial housing agency to review every assessment made this "
        "year. “But the council cannot cancel the assessment on its own.”"
    )
    speakers, _ = run(text, ["Mayor Ana Ruiz"])
    assert speakers == {
        "We hear you,": "Mayor Ana Ruiz",
        "But the council cannot cancel the assessment on its own.": "Mayor Ana Ruiz",
    }


def test_according_to_in_the_sentence_before_names_the_speaker_of_a_quote_opening_its_own():
    text = (
        "According to Meteo Norge, storm days on the coast have doubled since 1990. “The trend "
        "is clear and it is not slowing.”"
    )
    speakers, _ = run(text, ["Meteo Norge"])
    assert speakers == {"The trend is clear and it is not slowing.": "Meteo Norge"}


def test_a_cue_reporting_a_clause_of_its_own_after_a_finished_quote_is_not_its_attribution():
    text = (
        "“Today we took back our access to space,” Director General Marc Aubert said from "
        "mission control. “It will not be the last.” Aubert said the agency would fly again in "
        "March.\n“We are ready.” Aubert said on Tuesday."
    )
    speakers, _ = run(text, ["Director General Marc Aubert", "Aubert"])
    assert speakers == {
        "Today we took back our access to space,": "Director General Marc Aubert",
        "It will not be the last.": "Director General Marc Aubert",
        "We are ready.": "Aubert",
    }


def test_a_name_in_the_dateline_is_never_a_speaker():
    text = (
        "CANBERRA, Dec 10 (Reuters) - The frigate program's cost rose 17%, the audit office "
        "said.\nIn a report tabled in parliament, the watchdog said the navy changed the design."
        "\n“The department had no reliable estimate,” the report said."
    )
    speakers, added = run(text)
    assert speakers == {"The department had no reliable estimate,": None}
    assert added == []
