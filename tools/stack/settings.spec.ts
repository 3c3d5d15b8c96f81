import { ConfigurationError } from '@gyre/config';
import { readStackSettings } from './settings';

describe(readStackSettings.name, () => {
  it('uses the defaults of .env.example when nothing is set', () => {
    const settings = readStackSettings({}, {});
    expect(settings.s3.port).toBe(4566);
    expect(settings.s3.buckets).toEqual(['gyre-datasets', 'gyre-models', 'gyre-tiered']);
    expect(settings.postgres.externalUrl).toBeUndefined();
    expect(settings.postgres.embeddedPort).toBe(54329);
  });

  it('serves on the local ports the configuration points at, so two checkouts can run side by side', () => {
    const settings = readStackSettings(
      {
        PULSAR_SERVICE_URL: 'pulsar://127.0.0.1:16650',
        PULSAR_ADMIN_URL: 'http://127.0.0.1:18080',
        S3_ENDPOINT: 'http://localhost:14566',
      },
      {},
    );
    expect(settings.pulsar).toMatchObject({ brokerPort: 16650, webPort: 18080 });
    expect(settings.s3.port).toBe(14566);
  });

  it('keeps the default local S3 port when S3_ENDPOINT points at AWS', () => {
    expect(readStackSettings({ S3_ENDPOINT: '' }, {}).s3.port).toBe(4566);
    expect(readStackSettings({ S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com' }, {}).s3.port).toBe(4566);
  });

  it('takes DATABASE_URL as an external Postgres instead of the embedded one', () => {
    const settings = readStackSettings({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }, {});
    expect(settings.postgres.externalUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('refuses malformed settings with the configuration error that names them', () => {
    expect(() =>
      readStackSettings({ TIER_OFFLOAD_THRESHOLD_BYTES: 'lots', EMBEDDED_POSTGRES_PORT: '99999' }, {}),
    ).toThrow(ConfigurationError);
    expect(() => readStackSettings({ TIER_OFFLOAD_THRESHOLD_BYTES: 'lots' }, {})).toThrow(
      /TIER_OFFLOAD_THRESHOLD_BYTES/,
    );
  });
});
