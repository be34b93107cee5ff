/**
 * Injection token of the BullMQ queue (a `Queue<DeliveryJobData>` on WEBHOOK_QUEUE) whose jobs
 * deliver to webhook endpoints: a manual retry puts its job there.
 */
export const WEBHOOK_DELIVERY_QUEUE = Symbol('WEBHOOK_DELIVERY_QUEUE');
