-- 0001: the model catalog, routes with their full version history, and the operation log.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

CREATE TABLE models (
    id                        TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE, -- provider/model
    provider                  TEXT    NOT NULL,
    provider_model            TEXT    NOT NULL,
    modality                  TEXT    NOT NULL CHECK (modality IN ('chat', 'embeddings', 'transcription', 'speech')),
    -- The output cap assumed when a chat request sets none (worst-case estimates); 0 where output is not
    -- token-capped (embeddings, per-minute transcription, per-character speech).
    default_max_output_tokens INTEGER NOT NULL CHECK (default_max_output_tokens >= 0)
);

-- Append-only: every change of a route is a new row; the highest version of an operation is in force.
CREATE TABLE routes (
    id                   INTEGER NOT NULL PRIMARY KEY,
    operation            TEXT    NOT NULL COLLATE NOCASE,
    version              INTEGER NOT NULL CHECK (version >= 1),
    primary_model        TEXT    NOT NULL,
    fallback_models      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(fallback_models) AND json_type(fallback_models) = 'array'),
    modality             TEXT    NOT NULL CHECK (modality IN ('chat', 'embeddings', 'transcription', 'speech')),
    enabled              INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    unknown_price_policy TEXT    NOT NULL CHECK (unknown_price_policy IN ('flag', 'block')),
    updated_at           TEXT    NOT NULL, -- ISO-8601 UTC
    updated_by           TEXT    NOT NULL,
    CONSTRAINT ux_routes_operation_version UNIQUE (operation, version)
);

-- Append-only: one row per attempt, never updated in place (a re-pricing is a cost_adjustments row).
-- Decimals are TEXT in invariant culture so that they round-trip exactly; ts is ISO-8601 UTC, ts_ms the same
-- instant in Unix milliseconds for range queries.
CREATE TABLE operation_log (
    id                        INTEGER NOT NULL PRIMARY KEY,
    request_id                TEXT    NOT NULL,
    ts                        TEXT    NOT NULL,
    ts_ms                     INTEGER NOT NULL,
    operation                 TEXT    NOT NULL,
    principal                 TEXT    NOT NULL,
    end_user                  TEXT,
    provider                  TEXT    NOT NULL,
    model                     TEXT    NOT NULL,
    reported_model            TEXT,
    attempt                   INTEGER NOT NULL,
    status                    TEXT    NOT NULL CHECK (status IN ('success', 'failed', 'cancelled')),
    error_code                TEXT,
    http_status               INTEGER,
    latency_ms                REAL    NOT NULL,
    streamed                  INTEGER NOT NULL CHECK (streamed IN (0, 1)),
    usage_known               INTEGER NOT NULL CHECK (usage_known IN (0, 1)),
    input_tokens              INTEGER NOT NULL,
    cache_read_tokens         INTEGER NOT NULL,
    cache_write_5m_tokens     INTEGER NOT NULL,
    cache_write_1h_tokens     INTEGER NOT NULL,
    input_audio_tokens        INTEGER NOT NULL,
    cache_read_audio_tokens   INTEGER NOT NULL,
    input_image_tokens        INTEGER NOT NULL,
    input_video_tokens        INTEGER NOT NULL,
    tool_prompt_tokens        INTEGER NOT NULL,
    output_tokens             INTEGER NOT NULL,
    reasoning_tokens          INTEGER NOT NULL,
    output_audio_tokens       INTEGER NOT NULL,
    audio_seconds             TEXT    NOT NULL,
    characters                INTEGER NOT NULL,
    requests                  INTEGER NOT NULL,
    web_search_requests       INTEGER NOT NULL,
    cache_storage_token_hours TEXT    NOT NULL,
    cost_usd                  TEXT,
    cost_status               TEXT    NOT NULL CHECK (cost_status IN ('priced', 'estimated', 'unpriced', 'not_billed')),
    cost_reason               TEXT,
    estimated_cost_usd        TEXT,
    price_source              TEXT,
    price_source_date         TEXT, -- yyyy-MM-dd
    service_tier              TEXT,
    provider_request_id       TEXT
);

CREATE INDEX ix_operation_log_operation_id ON operation_log (operation, id);
CREATE INDEX ix_operation_log_end_user_id ON operation_log (end_user, id);
CREATE INDEX ix_operation_log_ts_ms ON operation_log (ts_ms);

-- Seed: the model catalog. Output caps are the providers' documented maximum output per request.
-- DeepSeek's deepseek-chat alias moved to V4-Flash and was retired on 2026-07-24: the V4 ids are seeded.
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
    ('chat',                1, 'deepseek/deepseek-v4-flash',   '["gemini/gemini-2.5-flash"]',         'chat',          1, 'flag', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed'),
    ('agent',               1, 'deepseek/deepseek-v4-pro',     '["gemini/gemini-2.5-pro"]',           'chat',          1, 'flag', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed'),
    ('memory-synthesis',    1, 'gemini/gemini-2.5-flash',      '["deepseek/deepseek-v4-flash"]',      'chat',          1, 'flag', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed'),
    ('sentiment-analysis',  1, 'gemini/gemini-2.5-flash-lite', '["deepseek/deepseek-v4-flash"]',      'chat',          1, 'flag', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed'),
    ('email-drafting',      1, 'gemini/gemini-2.5-flash',      '["deepseek/deepseek-v4-flash"]',      'chat',          1, 'flag', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed'),
    ('video-understanding', 1, 'gemini/gemini-2.5-pro',        '["openai/gpt-4.1"]',                  'chat',          1, 'flag', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed'),
    ('audio-transcription', 1, 'deepgram/nova-3',              '["openai/gpt-4o-mini-transcribe"]',   'transcription', 1, 'flag', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed'),
    ('text-to-speech',      1, 'edge-tts/en-US-AriaNeural',    '["openai/tts-1"]',                    'speech',        1, 'flag', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed');
