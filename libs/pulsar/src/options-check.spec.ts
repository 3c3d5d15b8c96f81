import { InvalidArgumentError } from './errors';
import { checkOptions, optionRules } from './options-check';

describe(checkOptions.name, () => {
  it('accepts every implemented option of each kind', () => {
    expect(() =>
      checkOptions('producer', {
        topic: 't',
        batchingEnabled: true,
        compressionType: 'LZ4',
        accessMode: 'Exclusive',
      }),
    ).not.toThrow();
    expect(() =>
      checkOptions('consumer', { topic: 't', subscription: 's', listener: () => undefined }),
    ).not.toThrow();
    expect(() =>
      checkOptions('producer', { topic: 't', messageRoutingMode: 'CustomPartition', messageRouter: () => 0 }),
    ).not.toThrow();
    expect(() =>
      checkOptions('consumer', {
        topicsPattern: 'persistent://public/default/orders-.*',
        regexSubscriptionMode: 'AllTopics',
        patternAutoDiscoveryPeriod: 30,
        subscription: 's',
        subscriptionType: 'KeyShared',
        keySharedPolicy: { keyShareMode: 'Sticky' },
        batchReceivePolicy: { maxNumMessages: 10 },
      }),
    ).not.toThrow();
  });

  it.each([
    ['producer', 'cryptoKeyReader', {}],
    ['producer', 'publicKeyPath', '/keys/pub.pem'],
    ['producer', 'encryptionKey', 'app-key'],
    ['producer', 'encryptionKeys', ['app-key']],
    ['producer', 'schema', { schemaType: 'Json' }],
    ['consumer', 'privateKeyPath', '/keys/priv.pem'],
    ['reader', 'listener', (): void => undefined],
    ['client', 'log', (): void => undefined],
    ['client', 'logLevel', 3],
  ] as const)('refuses the %s option %s, naming it', (kind, name, value) => {
    expect(() => checkOptions(kind, { [name]: value })).toThrow(InvalidArgumentError);
    expect(() => checkOptions(kind, { [name]: value })).toThrow(
      new RegExp(`^InvalidConfiguration: ${kind} option '${name}'.* is not supported by @gyre/pulsar`),
    );
  });

  it('refuses a value it does not implement, WaitForExclusive included, and names the supported ones', () => {
    expect(() => checkOptions('producer', { accessMode: 'WaitForExclusive' })).toThrow(
      `producer option 'accessMode' = "WaitForExclusive" is not supported by @gyre/pulsar ("Shared", "Exclusive", "ExclusiveWithFencing" only)`,
    );
    expect(() => checkOptions('producer', { hashingScheme: 'BoostHash' })).toThrow(/BoostHash/);
    expect(() => checkOptions('consumer', { subscriptionType: 'shared' })).toThrow(/subscriptionType/);
  });

  it('accepts the value of a refused feature that means "off"', () => {
    expect(() => checkOptions('producer', { blockIfQueueFull: false })).not.toThrow();
  });

  it('refuses an unknown option name', () => {
    expect(() => checkOptions('consumer', { topic: 't', subscripton: 's' })).toThrow(
      "InvalidConfiguration: unknown consumer option 'subscripton'",
    );
  });

  it('lets a message carry fields it does not know (application data), but not unimplemented options', () => {
    expect(() => checkOptions('message', { data: Buffer.from('x'), key: 'k', tenant: 't' })).not.toThrow();
    expect(() => checkOptions('message', { data: Buffer.from('x'), replicationClusters: ['b'] })).toThrow(
      /message option 'replicationClusters'/,
    );
  });

  it('treats an option set to undefined as absent', () => {
    expect(() => checkOptions('reader', { topic: 't', listener: undefined })).not.toThrow();
  });

  it('lists each kind with a rule per option (the compatibility table)', () => {
    expect(optionRules('reader').startMessageIdInclusive).toBe(true);
    expect(typeof optionRules('producer').cryptoKeyReader).toBe('string');
  });
});
