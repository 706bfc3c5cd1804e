"""The composition root: builds the parts from settings."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Engine

from bot.settings import Settings
from knowledge import CachedEmbeddings, KnowledgeBase, Platform, build_embeddings
from storage import database_url, make_engine, repository, upgrade
from storage.store import SqlStore
from workflows import Desk


def build_knowledge(settings: Settings) -> KnowledgeBase:
    """The knowledge base configured by `settings`."""
    embeddings = build_embeddings(
        provider=settings.embeddings_provider,
        model_path=settings.embeddings_model_path,
        base_url=settings.embeddings_base_url,
        model=settings.embeddings_model,
        api_key=settings.embeddings_api_key,
        threads=settings.embeddings_threads,
    )
    cache = settings.embeddings_cache or settings.data_dir / "cache" / "embeddings.sqlite"
    return KnowledgeBase(
        data_dir=settings.data_dir,
        embeddings=CachedEmbeddings(embeddings, path=cache),
        chroma_url=settings.chroma_url,
        platforms_dir=settings.platforms_dir,
    )


def build_engine(settings: Settings) -> Engine:
    """The database engine, migrated to the latest schema."""
    engine = make_engine(database_url(url=settings.database_url, data_dir=settings.data_dir))
    upgrade(engine)
    return engine


def build_desk(settings: Settings, *, knowledge: KnowledgeBase | None = None) -> Desk:
    """The desk over the database and knowledge base, with platforms registered."""
    knowledge = knowledge or build_knowledge(settings)
    store = SqlStore(build_engine(settings))
    register_platforms(store, knowledge.platforms.values())
    return Desk(store=store, library=knowledge, platforms=knowledge.platforms)


def register_platforms(store: SqlStore, platforms: Iterable[Platform]) -> None:
    """Insert or refresh the platforms' rows (names, reference prefix)."""
    with store.begin() as tx:
        for platform in platforms:
            repository.ensure_platform(
                tx.session,
                platform_id=platform.id,
                name_ja=platform.name.ja,
                name_en=platform.name.en,
                reference_prefix=platform.reference_prefix,
            )
