import type { RecordedEvent as EsdbRecordedEvent } from '@kurrent/kurrentdb-client';
import { UnreadableEventError } from '../event-store.errors';
import { toRecordedEvent } from './esdb-event.mapper';

/** A KurrentDB event as the client hands it over, with `data` and `metadata` as given. */
const recorded = (data: unknown, metadata: unknown): EsdbRecordedEvent =>
  ({
    id: '0193a1f0-0000-7000-8000-000000000001',
    streamId: 'ticket-1',
    type: 'TicketCreated',
    revision: BigInt(3),
    position: { commit: BigInt(4096), prepare: BigInt(4096) },
    data,
    metadata,
    isJson: !(data instanceof Uint8Array),
    created: new Date('2026-12-05T10:00:00.000Z'),
  }) as unknown as EsdbRecordedEvent;

const metadata = { workspace_id: 'w-1', schema_version: 2 };

describe('KurrentDB event mapper', () => {
  it('maps an event with JSON data and metadata, parsed or as raw bytes', () => {
    const bytes = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));
    for (const event of [recorded({ ticket_id: 't' }, metadata), recorded(bytes({ ticket_id: 't' }), bytes(metadata))]) {
      expect(toRecordedEvent(event)).toEqual({
        id: '0193a1f0-0000-7000-8000-000000000001',
        streamId: 'ticket-1',
        type: 'TicketCreated',
        revision: 3,
        position: 4096,
        data: { ticket_id: 't' },
        metadata,
        createdAt: '2026-12-05T10:00:00.000Z',
      });
    }
  });

  it('names an event whose data or metadata is not a JSON object, as the SQLite store does', () => {
    const cases: Array<[EsdbRecordedEvent, RegExp]> = [
      [recorded(new Uint8Array(Buffer.from('{not json')), metadata), /its data is not JSON/],
      [recorded([1, 2], metadata), /its data is not a JSON object/],
      [recorded({ ticket_id: 't' }, new Uint8Array(Buffer.from('"a string"'))), /its metadata is not a JSON object/],
      [recorded({ ticket_id: 't' }, { 'ledgerdesk-metadata': '{broken' }), /its metadata is not JSON/],
    ];
    for (const [event, reason] of cases) {
      let thrown: unknown;
      try {
        toRecordedEvent(event);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UnreadableEventError);
      expect(thrown).toMatchObject({ streamId: 'ticket-1', revision: 3, position: 4096, message: expect.stringMatching(reason) });
    }
  });
});
