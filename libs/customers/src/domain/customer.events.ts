export interface CustomerProfile {
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
}

export type CustomerEvent = {
  type: 'CustomerCreated';
  data: { customer_id: string; workspace_id: string } & CustomerProfile;
};

export const CUSTOMER_EVENT_TYPES: ReadonlySet<string> = new Set<CustomerEvent['type']>(['CustomerCreated']);
