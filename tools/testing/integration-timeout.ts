// Integration tests wait on real services (offloads, redeliveries, broker restarts): give them room.
jest.setTimeout(180_000);
