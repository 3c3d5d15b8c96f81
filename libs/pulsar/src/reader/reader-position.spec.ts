import { MessageId } from '../codec/message-id';
import { hasMessageAfter } from './reader-position';

const id = (ledger: number, entry: number, batchIndex = -1, batchSize = 0): MessageId =>
  new MessageId(BigInt(ledger), BigInt(entry), -1, batchIndex, batchSize);
const fromLatest = { start: MessageId.latest(), startInclusive: false };

describe(hasMessageAfter.name, () => {
  it('says no for an empty topic, whatever the start', () => {
    const empty = { last: id(-1, -1) };
    expect(hasMessageAfter({ start: MessageId.earliest(), startInclusive: false }, empty)).toBe(false);
  });

  it('says yes for a reader at latest once the broker has a message past the cursor start', () => {
    expect(hasMessageAfter(fromLatest, { last: id(7, 4), markDelete: id(7, 3) })).toBe(true);
  });

  it('says no for a reader at latest when nothing was sent since it started', () => {
    expect(hasMessageAfter(fromLatest, { last: id(7, 3), markDelete: id(7, 3) })).toBe(false);
    expect(hasMessageAfter(fromLatest, { last: id(7, 3) })).toBe(false);
  });

  it('says no when the mark-delete position is an empty new ledger after the last message', () => {
    expect(hasMessageAfter(fromLatest, { last: id(7, 3), markDelete: id(9, -1) })).toBe(false);
  });

  it('compares with the start exclusively, or inclusively when asked', () => {
    const known = { last: id(7, 3) };
    expect(hasMessageAfter({ start: id(7, 3), startInclusive: false }, known)).toBe(false);
    expect(hasMessageAfter({ start: id(7, 3), startInclusive: true }, known)).toBe(true);
    expect(hasMessageAfter({ start: id(7, 2), startInclusive: false }, known)).toBe(true);
  });

  it('counts the rest of a batch entry after the message read last', () => {
    const known = { last: id(7, 3, 3, 4) };
    const position = { start: MessageId.earliest(), startInclusive: false };
    expect(hasMessageAfter({ ...position, lastRead: id(7, 3, 1, 4) }, known)).toBe(true);
    expect(hasMessageAfter({ ...position, lastRead: id(7, 3, 3, 4) }, known)).toBe(false);
    expect(hasMessageAfter({ ...position, lastRead: id(7, 2) }, known)).toBe(true);
  });
});
