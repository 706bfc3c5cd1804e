"""The composition root: builds the parts from settings."""

from __future__ import annotations

from bot.settings import Settings
from knowledge import CachedEmbeddings, KnowledgeBase, build_embeddings


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
