import {
  MODEL_SOURCE_PATTERN,
  ModelSourceError,
  parseModelSource,
} from './modelSource';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

const failure = (source: unknown): ModelSourceError => {
  try {
    parseModelSource(source);
  } catch (e) {
    return e as ModelSourceError;
  }
  throw new Error(`expected ${String(source)} to be refused`);
};

describe('parseModelSource', () => {
  it.each([
    [
      'meta-llama/Llama-3.1-8B-Instruct',
      { kind: 'hf', id: 'meta-llama/Llama-3.1-8B-Instruct' },
    ],
    ['gpt2', { kind: 'hf', id: 'gpt2' }],
    ['hf://org/model', { kind: 'hf', id: 'org/model' }],
    ['hf://_org/model_v1.5', { kind: 'hf', id: '_org/model_v1.5' }],
    [`hf://o/${'m'.repeat(96)}`, { kind: 'hf', id: `o/${'m'.repeat(96)}` }],
    [
      'oci://registry.example.com:5000/models/llama-3:v1.2',
      {
        kind: 'oci',
        uri: 'oci://registry.example.com:5000/models/llama-3:v1.2',
        reference: 'registry.example.com:5000/models/llama-3:v1.2',
      },
    ],
    [
      `oci://ghcr.io/acme/my__models/m--x@${DIGEST}`,
      {
        kind: 'oci',
        uri: `oci://ghcr.io/acme/my__models/m--x@${DIGEST}`,
        reference: `ghcr.io/acme/my__models/m--x@${DIGEST}`,
      },
    ],
    [
      's3://models-acme/mistral-7b-instruct-awq/',
      { kind: 's3', uri: 's3://models-acme/mistral-7b-instruct-awq/' },
    ],
    ['s3://models-acme', { kind: 's3', uri: 's3://models-acme' }],
    ['gs://my_bucket/models/m', { kind: 'gs', uri: 'gs://my_bucket/models/m' }],
    [
      'https://example.com/m.tar.gz',
      { kind: 'https', uri: 'https://example.com/m.tar.gz' },
    ],
    [
      'https://models.example.com:8443/v1/m%201.tar.gz',
      { kind: 'https', uri: 'https://models.example.com:8443/v1/m%201.tar.gz' },
    ],
  ])('accepts %s', (source, parsed) => {
    expect(parseModelSource(source)).toEqual(parsed);
    expect(new RegExp(MODEL_SOURCE_PATTERN, 'u').test(source)).toBe(true);
  });

  it.each([
    'https://user:s3cr3t-token@models.example.com/m.tar.gz',
    'https://s3cr3t-token@models.example.com/m.tar.gz',
    'oci://robot:s3cr3t-token@registry.example.com/models/m:1',
    'hf://user:s3cr3t-token@meta-llama/Llama-3.1-8B',
    's3://AKIAEXAMPLE:s3cr3t-token@bucket/models',
    'gs://user:s3cr3t-token@bucket/models',
    'robot:s3cr3t-token@registry.example.com/models/m',
    'https://models.example.com/m.tar.gz?X-Amz-Signature=s3cr3t-token',
    'https://models.example.com/m.tar.gz#token=s3cr3t-token',
  ])(
    'refuses the credentials in %s, pointing to a Secret, without repeating them',
    source => {
      const e = failure(source);
      expect(e).toBeInstanceOf(TypeError);
      expect(e.credentials).toBe(true);
      expect(e.message).toMatch(/Kubernetes Secret/);
      expect(e.message).not.toMatch(/s3cr3t|token@|AKIA/);
      expect(new RegExp(MODEL_SOURCE_PATTERN, 'u').test(source)).toBe(false);
    },
  );

  it.each([
    ['hf://--trust-remote-code', /Hugging Face id/],
    ['--trust-remote-code', /Hugging Face id/],
    ['hf://../../../etc/passwd', /Hugging Face id/],
    ['hf://org/../../etc/passwd', /Hugging Face id/],
    ['/etc/passwd', /Hugging Face id/],
    ['org/-model', /Hugging Face id/],
    ['org/model.', /Hugging Face id/],
    ['org/mo--del', /Hugging Face id/],
    ['org/model/extra', /Hugging Face id/],
    ['org/model@main', /Hugging Face id/],
    ['org/model:main', /Hugging Face id/],
    [`o/${'m'.repeat(97)}`, /Hugging Face id/],
    ['oci://Registry.example.com/models/m', /OCI reference/],
    ['oci://registry.example.com/Models/m', /OCI reference/],
    ['oci://registry.example.com', /OCI reference/],
    ['oci://registry.example.com/m:-latest', /OCI reference/],
    ['oci://registry.example.com/m@sha256:abc', /OCI reference/],
    ['oci://-registry/m', /OCI reference/],
    ['s3://Bucket/models', /s3:\/\/bucket/],
    ['s3://b/models', /s3:\/\/bucket/],
    ['s3://bucket/../models', /s3:\/\/bucket/],
    ['s3://bucket/./models', /s3:\/\/bucket/],
    ['s3://bucket/models;rm', /s3:\/\/bucket/],
    ['gs://bucket/$(id)', /gs:\/\/bucket/],
    ['https://example.com/a/../b.tar.gz', /https:\/\/host/],
    ['https://EXAMPLE.com/m.tar.gz', /https:\/\/host/],
    ['https://example.com/m.tar.gz"; id; "', /spaces/],
    [
      'ftp://example.com/m',
      /oci:\/\/, s3:\/\/, gs:\/\/, hf:\/\/ or https:\/\//,
    ],
    ['http://example.com/m.tar.gz', /https:\/\//],
    ['', /non-empty/],
  ])('refuses %s: %s', (source, message) => {
    const e = failure(source);
    expect(e).toBeInstanceOf(ModelSourceError);
    expect(e.credentials).toBe(false);
    expect(e.message).toMatch(message);
    expect(new RegExp(MODEL_SOURCE_PATTERN, 'u').test(source)).toBe(false);
  });

  // Beyond what a JSON-schema pattern says: the template lets them
  // through, the action refuses them.
  it.each([
    ['oci://registry.example.com:99999/m', /port from 1 to 65535/],
    [`oci://r.io/${'a/'.repeat(130)}m`, /at most 255 characters/],
    [`https://example.com/${'m'.repeat(1020)}`, /at most 1024 characters/],
    [42, /non-empty string/],
  ])('refuses %s: %s', (source, message) => {
    const e = failure(source);
    expect(e).toBeInstanceOf(ModelSourceError);
    expect(e.message).toMatch(message);
  });
});
