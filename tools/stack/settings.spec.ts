import { ConfigurationError } from '@gyre/config';
import { readStackSettings } from './settings';

describe(readStackSettings.name, () => {
  it('uses the defaults of .env.example when nothing is set', () => {
    const settings = readStackSettings({});
    expect(settings.s3.port).toBe(4566);
    expect(settings.s3.buckets).toEqual(['gyre-datasets', 'gyre-models', 'gyre-tiered']);
    expect(settings.postgres.externalUrl).toBeUndefined();
    expect(settings.postgres.embeddedPort).toBe(54329);
  });

  it('takes DATABASE_URL as an external Postgres instead of the embedded one', () => {
    const settings = readStackSettings({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
    expect(settings.postgres.externalUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('refuses malformed settings with the configuration error that names them', () => {
    expect(() =>
      readStackSettings({ TIER_OFFLOAD_THRESHOLD_BYTES: 'lots', EMBEDDED_POSTGRES_PORT: '99999' }),
    ).toThrow(ConfigurationError);
    expect(() => readStackSettings({ TIER_OFFLOAD_THRESHOLD_BYTES: 'lots' })).toThrow(
      /TIER_OFFLOAD_THRESHOLD_BYTES/,
    );
  });
});
