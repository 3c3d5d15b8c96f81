import { InvalidArgumentError } from '../errors';
import { RoutedMessage, routeMessage } from './message-router';
import { resolveProducerConfig } from './options';

describe(routeMessage.name, () => {
  it("hands the router the message's getters and the topic's partition count", () => {
    const seen: Array<{ key?: string; props: Record<string, string>; data: string; parts: number }> = [];
    const partition = routeMessage(
      (message: RoutedMessage, metadata) => {
        seen.push({
          key: message.getPartitionKey(),
          props: message.getProperties(),
          data: message.getData().toString(),
          parts: metadata.numPartitions,
        });
        return 2;
      },
      { data: Buffer.from('x'), partitionKey: 'k', properties: { region: 'eu' } },
      3,
    );
    expect(partition).toBe(2);
    expect(seen).toEqual([{ key: 'k', props: { region: 'eu' }, data: 'x', parts: 3 }]);
  });

  it.each([-1, 3, 1.5, Number.NaN])('refuses the partition index %p outside [0, 3)', (index) => {
    expect(() => routeMessage(() => index, { data: Buffer.from('x') }, 3)).toThrow(
      /Illegal partition index chosen by the message routing policy/,
    );
  });

  it('lets an exception of the router fail the send as it is', () => {
    const failure = new Error('no region');
    expect(() =>
      routeMessage(
        () => {
          throw failure;
        },
        { data: Buffer.from('x') },
        3,
      ),
    ).toThrow(failure);
  });
});

describe(resolveProducerConfig.name, () => {
  const router = (): number => 0;

  it('routes with CustomPartition when a messageRouter is given', () => {
    expect(resolveProducerConfig({ topic: 't', messageRouter: router }).messageRoutingMode).toBe(
      'CustomPartition',
    );
    expect(resolveProducerConfig({ topic: 't' }).messageRoutingMode).toBe('RoundRobinDistribution');
  });

  it('refuses CustomPartition without a router, a router with another mode, and unknown modes', () => {
    expect(() => resolveProducerConfig({ topic: 't', messageRoutingMode: 'CustomPartition' })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      resolveProducerConfig({ topic: 't', messageRouter: router, messageRoutingMode: 'UseSinglePartition' }),
    ).toThrow(/needs messageRoutingMode 'CustomPartition'/);
    expect(() =>
      resolveProducerConfig({ topic: 't', messageRoutingMode: 'SinglePartition' as 'UseSinglePartition' }),
    ).toThrow(/messageRoutingMode must be one of/);
    expect(() => resolveProducerConfig({ topic: 't', messageRouter: 3 as unknown as typeof router })).toThrow(
      /messageRouter must be a function/,
    );
  });
});
