import { StorageError } from '../storage-error';
import { parseArtifactUri } from './stored-artifacts';

const BUCKETS = ['gyre-datasets', 'gyre-models'];

describe(parseArtifactUri.name, () => {
  it('reads the bucket and key of a URI in an artifact bucket', () => {
    expect(parseArtifactUri('s3://gyre-models/fraud/v0001/model.json', BUCKETS)).toEqual({
      bucket: 'gyre-models',
      key: 'fraud/v0001/model.json',
    });
  });

  it.each([
    ['another bucket', 's3://gyre-tiered/ledger-1'],
    ['no key', 's3://gyre-models/'],
    ['not s3', 'https://gyre-models/fraud/model.json'],
    ['a parent segment', 's3://gyre-models/fraud/../secrets'],
    ['empty', ''],
  ])('refuses %s as NOT_AN_ARTIFACT', (_, uri) => {
    expect(() => parseArtifactUri(uri, BUCKETS)).toThrow(
      expect.objectContaining({ code: 'NOT_AN_ARTIFACT', constructor: StorageError }),
    );
  });
});
