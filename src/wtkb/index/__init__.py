"""The build side of retrieval: the embedding model, Chroma, what each index sees, ``meta.json``.

``wtkb.retrieve`` is the query side; it reads what this package writes through the public
names below.
"""

from wtkb.index.build import build_index
from wtkb.index.chroma import PARAGRAPHS, SENTENCES, chroma_client, load_vectors, release_chroma
from wtkb.index.documents import embed_text, heading_path, keyword_text, sentence_id, source_words
from wtkb.index.meta import BUILD_HINT, INDEX_FORMAT, IndexMeta, check_meta
from wtkb.index.store import StoredVectors, read_vectors
from wtkb.index.model import MODEL_NAME, MODEL_PACKAGE, llama_embedder, load_model, model_dir

__all__ = ["BUILD_HINT", "INDEX_FORMAT", "MODEL_NAME", "MODEL_PACKAGE", "PARAGRAPHS", "SENTENCES", "IndexMeta",
           "StoredVectors",
           "build_index", "check_meta", "chroma_client", "embed_text", "heading_path", "keyword_text",
           "llama_embedder", "load_model", "load_vectors", "model_dir", "read_vectors", "release_chroma",
           "sentence_id", "source_words"]
