import type { DeliveryKind, DeliveryRecord } from '../infrastructure/delivery-log';
import { proposeJobs } from './dispatcher';

let position = 0;
const delivery = (kind: DeliveryKind, destination: string, ticket: string): DeliveryRecord => ({
  id: `d${++position}`,
  kind,
  workspace_id: 'ws',
  destination_id: destination,
  destination_key: `${kind}-${destination}`,
  ordering_key: `${kind}-${destination}-${ticket}`,
  event_id: `e${position}`,
  event_type: 'ticket.created',
  position,
  status: 'pending',
  attempts: [],
  round_attempts: 0,
  next_attempt_at: null,
  created_at: new Date(0).toISOString(),
  finished_at: null,
  payload: {},
});
const tickets = (kind: DeliveryKind, destination: string, count: number) => Array.from({ length: count }, (_, i) => delivery(kind, destination, `t${i}`));
/** How many deliveries each proposed job was given, largest first. */
const jobSizes = (proposed: Array<{ owner: string }>) => {
  const sizes = new Map<string, number>();
  for (const { owner } of proposed) sizes.set(owner, (sizes.get(owner) ?? 0) + 1);
  return [...sizes.values()].sort((a, b) => b - a);
};

describe('Dispatcher: sharing out a batch among jobs', () => {
  it("gives a ticket's later deliveries to the job of its first one", () => {
    const first = tickets('webhook', 'ep', 3);
    const later = [delivery('webhook', 'ep', 't1'), delivery('webhook', 'ep', 't0')];
    const proposed = proposeJobs([...first, ...later]);
    const ownerOf = (record: DeliveryRecord) => proposed.find((p) => p.record === record)?.owner;
    expect(jobSizes(proposed)).toEqual([5]);
    expect(ownerOf(later[0])).toBe(ownerOf(first[1]));
    expect(ownerOf(later[1])).toBe(ownerOf(first[0]));
  });

  it('gives 8 heads to a job, each destination its own', () => {
    expect(jobSizes(proposeJobs(tickets('webhook', 'ep', 20)))).toEqual([8, 8, 4]);
    expect(jobSizes(proposeJobs([...tickets('webhook', 'a', 3), ...tickets('callback', 'b', 2)]))).toEqual([3, 2]);
    expect(jobSizes(proposeJobs(tickets('slack', 'C1', 3)))).toEqual([1, 1, 1]);
  });

  it('gives a backlog bigger jobs, still at least 32 of them, at most 32 heads each', () => {
    expect(jobSizes(proposeJobs(tickets('webhook', 'ep', 256)))).toEqual(Array(32).fill(8));
    const backlog = jobSizes(proposeJobs(tickets('webhook', 'ep', 500)));
    expect(backlog.length).toBeGreaterThanOrEqual(32);
    expect(backlog[0]).toBe(15);
    expect(jobSizes(proposeJobs(tickets('webhook', 'ep', 2_000)))).toEqual(Array(62).fill(32).concat([16]));
    expect(jobSizes(proposeJobs(tickets('slack', 'C1', 500)))).toEqual(Array(500).fill(1));
  });
});
