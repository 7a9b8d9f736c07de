-- 0006: the seed operation 'embeddings' (OpenAI text-embedding-3-small, falling back to Gemini's gemini-embedding-001).
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here. Touches only the catalog and the routes as 0001
-- created them, so it does not depend on any migration between 0001 and itself.

INSERT OR IGNORE INTO models (id, provider, provider_model, modality, default_max_output_tokens) VALUES
    ('gemini/gemini-embedding-001',          'gemini',    'gemini-embedding-001',     'embeddings',    0);

-- A database whose operators already made an 'embeddings' route keeps it.
INSERT INTO routes (operation, version, primary_model, fallback_models, modality, enabled, unknown_price_policy, updated_at, updated_by)
SELECT 'embeddings', 1, 'openai/text-embedding-3-small', '["gemini/gemini-embedding-001"]', 'embeddings', 1, 'flag',
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed'
WHERE NOT EXISTS (SELECT 1 FROM routes WHERE operation = 'embeddings');
