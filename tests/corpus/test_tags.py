"""Document tags belong to the document's corpus: looked up, created and answered there only."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from annotations.interchange.imports import get_or_create_corpus, import_paths
from corpus.models import CorpusTag
from tests.factories import make_corpus, make_document


@pytest.mark.django_db
def test_adding_a_tag_that_another_corpus_spells_otherwise_keeps_the_callers_spelling():
    theirs = make_document(make_corpus("Theirs"), text="Secret.")
    theirs.tags.add("BSecretTag")
    mine = make_document(make_corpus("Mine"), text="Open.")
    mine.tags.add("bsecrettag")
    mine.tags.set(["bsecrettag", "Canada"])
    assert sorted(mine.tags.names()) == ["Canada", "bsecrettag"]
    assert list(theirs.tags.names()) == ["BSecretTag"]
    assert list(mine.corpus.tags.names_in_use()) == ["Canada", "bsecrettag"]
    assert list(mine.__class__.objects.filter(corpus=mine.corpus).tagged("BSECRETTAG")) == [mine]
    with pytest.raises(ValueError, match="another corpus"):
        mine.tags.add(theirs.corpus.tags.get())


@pytest.mark.django_db
def test_one_corpus_holds_one_spelling_of_a_tag():
    corpus = make_corpus()
    CorpusTag.objects.create(corpus=corpus, name="Budget", slug="budget")
    with pytest.raises(IntegrityError), transaction.atomic():
        CorpusTag.objects.create(corpus=corpus, name="BUDGET", slug="budget-2")
    CorpusTag.objects.create(corpus=make_corpus("Other"), name="BUDGET", slug="budget")


@pytest.mark.django_db
def test_imported_tags_are_matched_in_the_corpus_only(tmp_path):
    make_document(make_corpus("Theirs"), text="Secret.").tags.add("BSecretTag")
    path = tmp_path / "mine.jsonl"
    path.write_text('{"id": "a", "text": "Open.", "tags": ["bsecrettag", "Canada"]}\n')
    corpus = get_or_create_corpus("Mine")
    assert not import_paths([path], corpus=corpus).failures
    assert sorted(corpus.documents.get().tags.names()) == ["Canada", "bsecrettag"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_corpus_its_own_copy_of_the_global_tags():
    executor = MigrationExecutor(connection)
    executor.migrate([("corpus", "0001_initial")])
    old = executor.loader.project_state([("corpus", "0001_initial")]).apps
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="corpus", model="document"
    )[0]
    Tag, TaggedItem = old.get_model("taggit", "Tag"), old.get_model("taggit", "TaggedItem")
    Corpus, Document = old.get_model("corpus", "Corpus"), old.get_model("corpus", "Document")
    defence = Tag.objects.create(name="Defence", slug="defence")
    canada = Tag.objects.create(name="Canada", slug="canada")
    shouted = Tag.objects.create(name="CANADA!", slug="canada-2")
    documents = {}
    for number, (name, text) in enumerate([("a1", "One."), ("a2", "Two."), ("b1", "Three.")]):
        corpus, _ = Corpus.objects.get_or_create(name=name[0], slug=name[0])
        documents[name] = Document.objects.create(
            corpus=corpus, external_id=name, text=text, text_sha256=f"{number:064}"
        )
    for name, tags in [("a1", [defence, canada]), ("a2", [canada, shouted]), ("b1", [defence])]:
        for tag in tags:
            TaggedItem.objects.create(
                content_type=content_type, object_id=documents[name].pk, tag=tag
            )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    tags = {
        (tag.corpus.slug, tag.name): sorted(
            tag.tagged_documents.values_list("content_object__external_id", flat=True)
        )
        for tag in CorpusTag.objects.select_related("corpus")
    }
    assert tags == {
        ("a", "Defence"): ["a1"],
        ("a", "Canada"): ["a1", "a2"],
        ("a", "CANADA!"): ["a2"],
        ("b", "Defence"): ["b1"],
    }
    assert not Tag.objects.exists()
    assert sorted(CorpusTag.objects.filter(corpus__slug="a").values_list("slug", flat=True)) == [
        "canada",
        "canada_1",
        "defence",
    ]
    executor = MigrationExecutor(connection)
    executor.migrate([("corpus", "0001_initial")])
    # Reversed, the documents carry global tags again, one per name ignoring case.
    external_id = {document.pk: name for name, document in documents.items()}
    tagged = TaggedItem.objects.filter(content_type=content_type)
    assert sorted(
        (external_id[object_id], name)
        for object_id, name in tagged.values_list("object_id", "tag__name")
    ) == [
        ("a1", "Canada"),
        ("a1", "Defence"),
        ("a2", "CANADA!"),
        ("a2", "Canada"),
        ("b1", "Defence"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
