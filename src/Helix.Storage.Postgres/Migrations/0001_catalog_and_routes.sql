-- 0001: the model catalog and routes with their full version history, with the seed (catalog, one route per operation).
-- Plain SQL a Supabase project can apply as it is. Runs inside the migrator's transaction: no BEGIN/COMMIT here.

CREATE TABLE models (
    id                        text    NOT NULL PRIMARY KEY, -- provider/model, lower-case
    provider                  text    NOT NULL,
    provider_model            text    NOT NULL,
    modality                  text    NOT NULL CHECK (modality IN ('chat', 'embeddings', 'transcription', 'speech')),
    -- The output cap assumed when a chat request sets none (worst-case estimates); 0 where output is not token-capped.
    default_max_output_tokens integer NOT NULL CHECK (default_max_output_tokens >= 0)
);

-- Append-only: every change of a route is a new row; the highest version of an operation is in force, and a version
-- with retired = true retires the operation (its history stays).
CREATE TABLE routes (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operation            text        NOT NULL,
    version              bigint      NOT NULL CHECK (version >= 1),
    primary_model        text        NOT NULL,
    fallback_models      jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(fallback_models) = 'array'),
    modality             text        NOT NULL CHECK (modality IN ('chat', 'embeddings', 'transcription', 'speech')),
    enabled              boolean     NOT NULL,
    unknown_price_policy text        NOT NULL CHECK (unknown_price_policy IN ('flag', 'block')),
    updated_at           timestamptz NOT NULL,
    updated_by           text        NOT NULL,
    max_output_tokens    integer     CHECK (max_output_tokens IS NULL OR max_output_tokens BETWEEN 1 AND 1000000),
    retired              boolean     NOT NULL DEFAULT false
);

-- Operations are case-insensitive, as in SQLite (COLLATE NOCASE there).
CREATE UNIQUE INDEX ux_routes_operation_version ON routes (lower(operation), version);

-- Seed: the model catalog. Output caps are the providers' documented maximum output per request.
INSERT INTO models (id, provider, provider_model, modality, default_max_output_tokens) VALUES
    ('deepseek/deepseek-v4-flash',           'deepseek',  'deepseek-v4-flash',        'chat',          393216),
    ('deepseek/deepseek-v4-pro',             'deepseek',  'deepseek-v4-pro',          'chat',          393216),
    ('gemini/gemini-2.5-flash',              'gemini',    'gemini-2.5-flash',         'chat',          65536),
    ('gemini/gemini-2.5-flash-lite',         'gemini',    'gemini-2.5-flash-lite',    'chat',          65536),
    ('gemini/gemini-2.5-pro',                'gemini',    'gemini-2.5-pro',           'chat',          65536),
    ('openai/gpt-4.1-mini',                  'openai',    'gpt-4.1-mini',             'chat',          32768),
    ('openai/gpt-4.1',                       'openai',    'gpt-4.1',                  'chat',          32768),
    ('openai/gpt-4o-mini',                   'openai',    'gpt-4o-mini',              'chat',          16384),
    ('openai/gpt-4o',                        'openai',    'gpt-4o',                   'chat',          16384),
    ('openai/text-embedding-3-small',        'openai',    'text-embedding-3-small',   'embeddings',    0),
    ('gemini/gemini-embedding-001',          'gemini',    'gemini-embedding-001',     'embeddings',    0),
    ('anthropic/claude-sonnet-4-5',          'anthropic', 'claude-sonnet-4-5',        'chat',          64000),
    ('anthropic/claude-haiku-4-5',           'anthropic', 'claude-haiku-4-5',         'chat',          64000),
    ('deepgram/nova-3',                      'deepgram',  'nova-3',                   'transcription', 0),
    ('openai/gpt-4o-mini-transcribe',        'openai',    'gpt-4o-mini-transcribe',   'transcription', 2000),
    ('openai/whisper-1',                     'openai',    'whisper-1',                'transcription', 0),
    ('edge-tts/en-US-AriaNeural',            'edge-tts',  'en-US-AriaNeural',         'speech',        0),
    ('openai/tts-1',                         'openai',    'tts-1',                    'speech',        0),
    ('openai/gpt-4o-mini-tts',               'openai',    'gpt-4o-mini-tts',          'speech',        0);

-- Seed: one route per operation, version 1, enabled, unknown prices flagged.
INSERT INTO routes (operation, version, primary_model, fallback_models, modality, enabled, unknown_price_policy, updated_at, updated_by) VALUES
    ('chat',                1, 'deepseek/deepseek-v4-flash',    '["gemini/gemini-2.5-flash"]',       'chat',          true, 'flag', now(), 'seed'),
    ('agent',               1, 'deepseek/deepseek-v4-pro',      '["gemini/gemini-2.5-pro"]',         'chat',          true, 'flag', now(), 'seed'),
    ('memory-synthesis',    1, 'gemini/gemini-2.5-flash',       '["deepseek/deepseek-v4-flash"]',    'chat',          true, 'flag', now(), 'seed'),
    ('sentiment-analysis',  1, 'gemini/gemini-2.5-flash-lite',  '["deepseek/deepseek-v4-flash"]',    'chat',          true, 'flag', now(), 'seed'),
    ('email-drafting',      1, 'gemini/gemini-2.5-flash',       '["deepseek/deepseek-v4-flash"]',    'chat',          true, 'flag', now(), 'seed'),
    ('video-understanding', 1, 'gemini/gemini-2.5-pro',         '["openai/gpt-4.1"]',                'chat',          true, 'flag', now(), 'seed'),
    ('audio-transcription', 1, 'deepgram/nova-3',               '["openai/gpt-4o-mini-transcribe"]', 'transcription', true, 'flag', now(), 'seed'),
    ('text-to-speech',      1, 'edge-tts/en-US-AriaNeural',     '["openai/tts-1"]',                  'speech',        true, 'flag', now(), 'seed'),
    ('embeddings',          1, 'openai/text-embedding-3-small', '["gemini/gemini-embedding-001"]',   'embeddings',    true, 'flag', now(), 'seed');
